import { spawn, spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import type { Readable } from 'node:stream';
import { egressRuleset, hostIPv4Addresses, SANDBOX_DNS, type Reach } from './egressRules.ts';
import { findExecutable } from './findExecutable.ts';

/**
 * How a node with `network: true` reaches the network: a network namespace of its own, joined to
 * the outside by slirp4netns (user-mode TCP/IP, no privilege needed), behind an nftables filter.
 */
export type NetworkSupport =
  | {
      available: true;
      slirp4netns: string;
      nft: string;
      unshare: string;
      /** `PLINTH_NETWORK_ALLOW`, normalised. */
      allow: string[];
      /** The sandbox's /etc/resolv.conf (naming slirp4netns's DNS forwarder), to be opened per worker. */
      resolvConf: string;
    }
  | { available: false; reason: string; allow: string[] };

/** The OS user a worker (and so its slirp4netns) runs as; absent: the server's own. */
export interface ProcessUser {
  uid?: number;
  gid?: number;
}

const SYSTEM_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
const SLIRP_READY_MS = 10_000;

/**
 * Finds slirp4netns, nft and unshare, and checks once that a user namespace may hold nftables
 * rules here; says plainly what is missing otherwise (nodes with network then fail with that).
 */
export function detectNetwork(
  allow: string[],
  user: ProcessUser,
  keepFile: (content: string) => string,
): NetworkSupport {
  const search = `${process.env.PATH ?? ''}:${SYSTEM_PATH}`;
  const [slirp4netns, nft, unshare] = ['slirp4netns', 'nft', 'unshare'].map((name) => findExecutable(name, search));
  if (!slirp4netns || !nft || !unshare) {
    const missing = [!slirp4netns && 'slirp4netns', !nft && 'nft', !unshare && 'unshare'].filter(Boolean);
    return {
      available: false,
      allow,
      reason:
        `${missing.join(', ')} not found: nodes with "network": true cannot run ` +
        '(Debian/Ubuntu: `sudo apt-get install slirp4netns nftables`)',
    };
  }
  const probe = spawnSync(unshare, ['--user', '--map-root-user', '--net', '--', nft, 'list', 'tables'], {
    encoding: 'utf8',
    timeout: 10_000,
    ...user,
  });
  if (probe.status !== 0) {
    const said = (probe.error?.message ?? probe.stderr).trim();
    return {
      available: false,
      allow,
      reason: `a user namespace cannot hold nftables rules here (${said}): nodes with "network": true cannot run`,
    };
  }
  if (process.getuid?.() !== 0) {
    try {
      accessSync('/dev/net/tun', constants.R_OK | constants.W_OK);
    } catch {
      return { available: false, allow, reason: '/dev/net/tun is not readable and writable by the server user' };
    }
  }
  const resolvConf = keepFile(`nameserver ${SANDBOX_DNS}\n`);
  return { available: true, slirp4netns, nft, unshare, allow, resolvConf };
}

/** The launcher's first command inside the new namespaces: install the egress filter. */
export function filterCommand(
  network: Extract<NetworkSupport, { available: true }>,
  reach: readonly Reach[] = [],
): string {
  return `${network.nft} '${egressRuleset(network.allow, hostIPv4Addresses(), reach)}'`;
}

/**
 * Joins the network namespace of process `pid` to the outside with slirp4netns; resolves once the
 * namespace's interface is up, with a function that stops it. slirp4netns runs as root when the
 * server does (it needs /dev/net/tun; it drops every capability and confines itself with
 * --enable-sandbox and --enable-seccomp), else as the server's user.
 */
export function attachSlirp(
  pid: number,
  network: Extract<NetworkSupport, { available: true }>,
  hostLoopback = false,
): Promise<() => void> {
  const slirp = spawn(
    network.slirp4netns,
    [
      '--configure',
      '--mtu=65520',
      // Only a sandbox told to reach a port of the host's loopback (a local package index) may, and
      // then the egress filter lets exactly that port through.
      ...(hostLoopback ? [] : ['--disable-host-loopback']),
      '--enable-sandbox',
      '--enable-seccomp',
      '--ready-fd=3',
      '--exit-fd=4', // closes when the server dies, and slirp4netns with it
      `--userns-path=/proc/${pid}/ns/user`,
      '--netns-type=path',
      `/proc/${pid}/ns/net`,
      'tap0',
    ],
    { stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'], env: { PATH: SYSTEM_PATH } },
  );
  const stop = () => {
    slirp.kill('SIGKILL');
  };
  let stderr = '';
  slirp.stderr?.setEncoding('utf8');
  slirp.stderr?.on('data', (text: string) => {
    stderr = (stderr + text).slice(-2000);
  });
  return new Promise((resolve, reject) => {
    const fail = (why: string) => {
      clearTimeout(timer);
      stop();
      const said = stderr.trim().split('\n').slice(-3).join('; ');
      reject(new Error(`slirp4netns ${why}${said ? `: ${said}` : ''}`));
    };
    const timer = setTimeout(() => fail(`did not bring the network up within ${SLIRP_READY_MS} ms`), SLIRP_READY_MS);
    slirp.once('error', (error) => fail(`could not start (${error.message})`));
    slirp.once('exit', (code, signal) => fail(`exited (${signal ?? `code ${code}`}) before the network was up`));
    (slirp.stdio[3] as Readable).once('data', () => {
      clearTimeout(timer);
      slirp.removeAllListeners('exit');
      resolve(stop);
    });
  });
}
