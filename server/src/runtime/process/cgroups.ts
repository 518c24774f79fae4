import { accessSync, constants, existsSync, mkdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PlinthError } from '@plinth/shared';

/** Whether pools get cgroup v2 limits here, and if not, why not in plain words. */
export type CgroupSupport = { available: true; root: string } | { available: false; reason: string };

/** The runtime's view: where available, the pools' cgroups under that root. */
export type RuntimeCgroups =
  { available: true; root: string; pools: PoolCgroups } | { available: false; reason: string };

/** Limits of one pool's cgroup: all its workers together. */
export interface PoolCgroupLimits {
  memoryBytes: number;
  /** CPUs' worth of time per period, e.g. 1.5. */
  cpus: number;
  maxProcesses: number;
}

const NEEDED = ['memory', 'cpu'] as const;
const CPU_PERIOD_US = 100_000;
/** Where the server moves itself in an auto-detected subtree: cgroup v2 puts processes in leaves only. */
const SERVER_LEAF = 'plinth-server';

/**
 * Finds a cgroup v2 subtree this server may manage: `PLINTH_CGROUP_ROOT` when set (an error if it
 * cannot be used), else the server's own cgroup when it is delegated (writable, with the memory
 * and cpu controllers; systemd's `Delegate=yes`). `fsRoot` lets tests use a fake cgroupfs tree.
 */
export function detectCgroups(configured: string | undefined, fsRoot = '/'): CgroupSupport {
  if (configured) {
    const problem = unusable(join(fsRoot, configured));
    if (problem) {
      throw new PlinthError('sandbox_unavailable', `PLINTH_CGROUP_ROOT=${configured}: ${problem}`);
    }
    enableControllers(join(fsRoot, configured));
    return { available: true, root: join(fsRoot, configured) };
  }
  const own = ownCgroupDir(fsRoot);
  if (typeof own !== 'string') return own;
  const problem = unusable(own);
  if (problem) return { available: false, reason: problem };
  // Our own cgroup holds the server; move it to a leaf so the subtree may enable controllers.
  const leaf = join(own, SERVER_LEAF);
  mkdirSync(leaf, { recursive: true });
  writeFileSync(join(leaf, 'cgroup.procs'), String(process.pid));
  enableControllers(own);
  return { available: true, root: own };
}

function ownCgroupDir(fsRoot: string): string | { available: false; reason: string } {
  const line = readOr(join(fsRoot, 'proc/self/cgroup'))
    .split('\n')
    .find((l) => l.startsWith('0::'));
  const mount = readOr(join(fsRoot, 'proc/self/mountinfo'))
    .split('\n')
    .map((l) => l.split(' '))
    .find((fields) => fields[fields.indexOf('-') + 1] === 'cgroup2')?.[4];
  if (line === undefined || mount === undefined) {
    return { available: false, reason: 'this host has no cgroup v2 hierarchy (cgroup v1 only)' };
  }
  return join(fsRoot, mount, line.slice(3));
}

/** Why `dir` cannot hold pool cgroups, or undefined when it can. */
function unusable(dir: string): string | undefined {
  if (!existsSync(join(dir, 'cgroup.controllers'))) return `${dir} is not a cgroup v2 directory`;
  const controllers = readOr(join(dir, 'cgroup.controllers')).split(/\s+/);
  const missing = NEEDED.filter((c) => !controllers.includes(c));
  if (missing.length) {
    return (
      `the cgroup v2 hierarchy at ${dir} lacks the ${missing.join(' and ')} controller` +
      `${missing.length > 1 ? 's' : ''} (a hybrid host keeps them in cgroup v1)`
    );
  }
  try {
    accessSync(dir, constants.W_OK);
    accessSync(join(dir, 'cgroup.subtree_control'), constants.W_OK);
  } catch {
    return `${dir} is not delegated to this user (systemd: Delegate=yes; or set PLINTH_CGROUP_ROOT)`;
  }
  return undefined;
}

function enableControllers(dir: string): void {
  const available = readOr(join(dir, 'cgroup.controllers')).split(/\s+/);
  const wanted = ['memory', 'cpu', 'pids'].filter((c) => available.includes(c));
  writeFileSync(join(dir, 'cgroup.subtree_control'), wanted.map((c) => `+${c}`).join(' '));
}

function readOr(path: string): string {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return '';
  }
}

/** Numbers pool cgroups across runtimes of this process, so two never share a directory. */
let poolCounter = 0;

/**
 * The cgroups of pools, created when a pool's first worker starts and removed when its last one
 * exits (a pool that starts again gets a fresh one).
 */
export class PoolCgroups {
  private readonly groups = new Map<string, { dir: string; members: number }>();

  constructor(
    readonly root: string,
    private readonly limits: PoolCgroupLimits,
  ) {}

  /** Puts process `pid` in the cgroup of `pool`; the returned function releases its place. */
  enter(pool: string, pid: number): () => void {
    let group = this.groups.get(pool);
    if (!group) {
      group = { dir: this.create(pool), members: 0 };
      this.groups.set(pool, group);
    }
    writeFileSync(join(group.dir, 'cgroup.procs'), String(pid));
    group.members++;
    const entered = group;
    return () => {
      if (--entered.members > 0 || this.groups.get(pool) !== entered) return;
      this.groups.delete(pool);
      try {
        rmdirSync(entered.dir);
      } catch {
        // a process is still leaving; the directory is empty and harmless until the next start
      }
    };
  }

  private create(pool: string): string {
    const name = `pool-${++poolCounter}-${pool.replace(/[^A-Za-z0-9_.-]/g, '_').slice(0, 60)}`;
    const dir = join(this.root, name);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'memory.max'), String(this.limits.memoryBytes));
    writeFileSync(join(dir, 'cpu.max'), `${Math.round(this.limits.cpus * CPU_PERIOD_US)} ${CPU_PERIOD_US}`);
    // Present only with swap accounting and the pids controller.
    if (existsSync(join(dir, 'memory.swap.max'))) writeFileSync(join(dir, 'memory.swap.max'), '0');
    if (existsSync(join(dir, 'pids.max'))) writeFileSync(join(dir, 'pids.max'), String(this.limits.maxProcesses));
    return dir;
  }
}
