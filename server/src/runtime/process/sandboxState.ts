import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { detectCgroups, type CgroupSupport } from './cgroups.ts';
import { detectNetwork, type NetworkSupport, type ProcessUser } from './network.ts';
import { writeSeccompFilter } from './seccomp.ts';

let stateDir: string | undefined;

/**
 * One directory per server process for what every sandbox shares (the seccomp filter's BPF, the
 * networked sandbox's resolv.conf), readable by the workers' user, removed when the server exits.
 */
function sandboxStateDir(): string {
  if (stateDir === undefined) {
    const dir = mkdtempSync(join(tmpdir(), 'plinth-sandbox-'));
    chmodSync(dir, 0o755);
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    stateDir = dir;
  }
  return stateDir;
}

let seccompFilter: string | undefined;

/** The seccomp filter, built once per server process (libseccomp takes a Python start-up). */
export function seccompFilterFile(): string {
  seccompFilter ??= writeSeccompFilter(sandboxStateDir());
  return seccompFilter;
}

const networks = new Map<string, NetworkSupport>();

/** What nodes with network get, detected once per allow-list. */
export function networkSupport(allow: string[], user: ProcessUser): NetworkSupport {
  const key = allow.join(',');
  let support = networks.get(key);
  if (!support) {
    support = detectNetwork(sandboxStateDir(), allow, user);
    networks.set(key, support);
  }
  return support;
}

const cgroups = new Map<string, CgroupSupport>();

/** Where pools' cgroups go, detected once: auto-detection moves the server into a leaf cgroup. */
export function cgroupSupport(configured: string | undefined): CgroupSupport {
  let support = cgroups.get(configured ?? '');
  if (!support) {
    support = detectCgroups(configured);
    cgroups.set(configured ?? '', support);
  }
  return support;
}
