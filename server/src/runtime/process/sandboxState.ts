import { mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { detectCgroups, type CgroupSupport } from './cgroups.ts';
import { detectNetwork, type NetworkSupport, type ProcessUser } from './network.ts';
import { writeSeccompFilter } from './seccomp.ts';

/**
 * A file only this server process can reach: written into a private temp directory, opened, and
 * removed at once, so nothing is left behind however the server ends. The returned path,
 * `/proc/self/fd/N`, opens it afresh (with an offset of its own) for each worker in this process.
 */
function privateFile(name: string, write: (path: string) => void): string {
  const dir = mkdtempSync(join(tmpdir(), 'plinth-sandbox-'));
  try {
    const path = join(dir, name);
    write(path);
    return `/proc/self/fd/${openSync(path, 'r')}`;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

let seccompFilter: string | undefined;

/** The seccomp filter, built once per server process (libseccomp takes a Python start-up). */
export function seccompFilterFile(): string {
  seccompFilter ??= privateFile('seccomp.bpf', writeSeccompFilter);
  return seccompFilter;
}

const networks = new Map<string, NetworkSupport>();

/** What nodes with network get, detected once per allow-list. */
export function networkSupport(allow: string[], user: ProcessUser): NetworkSupport {
  const key = allow.join(',');
  let support = networks.get(key);
  if (!support) {
    support = detectNetwork(allow, user, (text) => privateFile('resolv.conf', (path) => writeFileSync(path, text)));
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
