import type { PoolCgroups } from './cgroups.ts';
import { isLoopback, type Reach } from './egressRules.ts';
import { attachSlirp, filterCommand, type NetworkSupport } from './network.ts';

/**
 * Wraps bwrap's command line in a launcher that stops at a gate (fd `gate`) before bwrap starts:
 * it writes `ready` once its namespaces exist, and starts bwrap only when the server answers `go`
 * (else it prints the server's reason on stderr and exits 70). With network, the launcher is
 * `unshare --user --map-root-user --net`: a network namespace of its own, in which it installs the
 * egress filter with nft while it still holds CAP_NET_ADMIN there; bwrap then shares that
 * namespace and drops every capability for the sandbox.
 */
export function gatedLauncher(
  bwrap: string,
  bwrapArgs: string[],
  gate: number,
  network: NetworkSupport | undefined,
  reach: readonly Reach[] = [],
): { file: string; args: string[] } {
  const filter = network?.available
    ? `${filterCommand(network, reach)} || { echo "plinth: could not install the sandbox's egress filter (nft, above)" >&2; exit 71; }; `
    : '';
  // `ready` goes out before the filter is installed, so slirp4netns attaches meanwhile: nothing in
  // the namespace can send before bwrap starts, and bwrap starts only after both.
  const script =
    `echo ready >&${gate}; ${filter}read -r answer <&${gate}; ` +
    // On refusal it prints the reason, then waits for the gate to close: the server closes it once it
    // has read that line, so the reason is in the worker's stderr before its exit is seen.
    `if [ "$answer" != go ]; then printf 'plinth: %s\\n' "$answer" >&2; read -r _ <&${gate}; exit 70; fi; ` +
    `exec ${gate}<&-; exec "$@"`;
  const shell = ['/bin/sh', '-c', script, 'plinth-sandbox', bwrap, ...bwrapArgs];
  return network?.available
    ? { file: network.unshare, args: ['--user', '--map-root-user', '--net', '--', ...shell] }
    : { file: '/bin/sh', args: shell.slice(1) };
}

/**
 * What the server does at a launcher's gate: put it in its pool's cgroup (before anything inside
 * runs, so every process it starts is counted), then join its network namespace to the outside.
 * Resolves to the matching teardown; rejects with a reason the node's error will carry.
 */
export async function prepareProcess(
  pid: number,
  network: NetworkSupport | undefined,
  cgroup: { pools: PoolCgroups; pool: string } | undefined,
  reach: readonly Reach[] = [],
): Promise<() => void> {
  if (network && !network.available) throw new Error(network.reason);
  const leave = cgroup ? cgroup.pools.enter(cgroup.pool, pid) : () => {};
  try {
    const hostLoopback = reach.some((r) => isLoopback(r.address));
    const stopNetwork = network?.available ? await attachSlirp(pid, network, hostLoopback) : () => {};
    return () => {
      stopNetwork();
      leave();
    };
  } catch (error) {
    leave();
    throw error;
  }
}
