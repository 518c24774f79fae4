import { spawnSync } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { ConfigError, positiveInt } from '../../settings.ts';
import { fileURLToPath } from 'node:url';
import { PlinthError } from '@plinth/shared';
import { PoolCgroups, type RuntimeCgroups } from './cgroups.ts';
import { parseNetworkAllow } from './egressRules.ts';
import { findExecutable } from './findExecutable.ts';
import type { NetworkSupport } from './network.ts';
import { workerCommand } from './sandboxCommand.ts';
import { cgroupSupport, networkSupport, seccompFilterFile } from './sandboxState.ts';

/** How the server starts and limits its Python workers. Every field has an env setting. */
export interface RuntimeOptions {
  /** Python inside the sandbox (`PLINTH_PYTHON`, default /usr/bin/python3). */
  python: string;
  /** The node runner file, read once and handed to every worker's interpreter (`PLINTH_RUNNER_PATH`). */
  runnerPath: string;
  /** `bwrap`, or `none` only when `PLINTH_UNSAFE_NO_SANDBOX=1`. */
  sandbox: 'bwrap' | 'none';
  /** Path of the bwrap binary when `sandbox` is `bwrap`. */
  bwrapPath?: string;
  /** Workers per pool, i.e. concurrent runs of one graph version (`PLINTH_WORKERS_PER_POOL`, 2). */
  workersPerPool: number;
  /** Warm pools kept; the least recently used is stopped beyond this (`PLINTH_MAX_POOLS`, 16). */
  maxPools: number;
  /** Runs that may wait for a busy pool's worker; more get 503 at once (`PLINTH_MAX_QUEUE`, 128). */
  maxQueue: number;
  /** How long a run may wait for a worker before it gets 503 (`PLINTH_QUEUE_TIMEOUT_MS`, 10000). */
  queueTimeoutMs: number;
  /** Address-space rlimit per worker (`PLINTH_WORKER_MEMORY_MB`, 1024). */
  memoryLimitMb: number;
  /**
   * CPU-time rlimit over a worker's life (`PLINTH_WORKER_CPU_SECONDS`, 600). A worker that has
   * used 80% of it is replaced after its run, so only a runaway worker ever reaches it.
   */
  cpuSeconds: number;
  /** Processes and threads per worker sandbox (`PLINTH_WORKER_MAX_PROCESSES`, 32). */
  maxProcesses: number;
  /** Largest file a worker may write (`PLINTH_WORKER_MAX_FILE_BYTES`, 64 MiB). */
  maxFileBytes: number;
  /** Size of the worker's private /tmp (`PLINTH_WORKER_TMP_MB`, 256). */
  tmpMb: number;
  /** Size of the worker's private /dev/shm (`PLINTH_WORKER_SHM_MB`, 64); the rest of /dev is read-only. */
  shmMb: number;
  /** The workers' seccomp filter as BPF, built at start-up; null with `PLINTH_SECCOMP=off`. */
  seccompFilter: string | null;
  /** How nodes with `network: true` reach the network (`PLINTH_NETWORK_ALLOW` opens private ranges). */
  network: NetworkSupport;
  /** Per-pool cgroup v2 limits where the host delegates them (`PLINTH_CGROUP_ROOT`, `PLINTH_POOL_CPUS`). */
  cgroups: RuntimeCgroups;
  /** Largest JSON reply a node may produce (`PLINTH_MAX_OUTPUT_BYTES`, 64 MiB). */
  maxOutputBytes: number;
  /**
   * Time for a worker's interpreter to start (`PLINTH_WORKER_START_MS`, 10000); its nodes'
   * module-level code gets the sum of their `timeoutMs` on top.
   */
  workerStartMs: number;
  log: (msg: string) => void;
}

export const DEFAULT_RUNNER_PATH = fileURLToPath(
  new URL('../../../../sandbox-images/runner/plinth_runner.py', import.meta.url),
);

const MIB = 1024 * 1024;

/** Reads the runtime's settings; refuses to run user code unsandboxed unless told to. */
export function runtimeOptionsFromEnv(
  env: NodeJS.ProcessEnv,
  log: (m: string) => void = (m) => console.warn(m),
): RuntimeOptions {
  const unsafe = env.PLINTH_UNSAFE_NO_SANDBOX === '1';
  const bwrapPath = unsafe ? undefined : findExecutable('bwrap', env.PATH);
  if (!unsafe && !bwrapPath) {
    throw new PlinthError(
      'sandbox_unavailable',
      'Plinth runs every Python node inside bubblewrap, but `bwrap` is not on PATH. ' +
        'Install it (Debian/Ubuntu: `sudo apt-get install bubblewrap`), or set PLINTH_UNSAFE_NO_SANDBOX=1 ' +
        'to run user code UNSANDBOXED, with the same rights as the server (only on a machine you trust).',
    );
  }
  if (unsafe) log(UNSAFE_BANNER);
  const sized = {
    workersPerPool: positiveInt(env, 'PLINTH_WORKERS_PER_POOL', 2),
    memoryLimitMb: positiveInt(env, 'PLINTH_WORKER_MEMORY_MB', 1024),
    maxProcesses: positiveInt(env, 'PLINTH_WORKER_MAX_PROCESSES', 32),
    tmpMb: positiveInt(env, 'PLINTH_WORKER_TMP_MB', 256),
    shmMb: positiveInt(env, 'PLINTH_WORKER_SHM_MB', 64),
  };
  const options: RuntimeOptions = {
    ...sized,
    python: env.PLINTH_PYTHON || '/usr/bin/python3',
    runnerPath: env.PLINTH_RUNNER_PATH || DEFAULT_RUNNER_PATH,
    sandbox: unsafe ? 'none' : 'bwrap',
    ...(bwrapPath ? { bwrapPath } : {}),
    maxPools: positiveInt(env, 'PLINTH_MAX_POOLS', 16),
    maxQueue: positiveInt(env, 'PLINTH_MAX_QUEUE', 128),
    queueTimeoutMs: positiveInt(env, 'PLINTH_QUEUE_TIMEOUT_MS', 10_000),
    cpuSeconds: positiveInt(env, 'PLINTH_WORKER_CPU_SECONDS', 600),
    maxFileBytes: positiveInt(env, 'PLINTH_WORKER_MAX_FILE_BYTES', 64 * MIB),
    maxOutputBytes: positiveInt(env, 'PLINTH_MAX_OUTPUT_BYTES', 64 * MIB),
    workerStartMs: positiveInt(env, 'PLINTH_WORKER_START_MS', 10_000),
    seccompFilter: unsafe || seccompOff(env) ? null : seccompFilterFile(),
    network: networkSupport(parseNetworkAllow(env.PLINTH_NETWORK_ALLOW), workerUser()),
    cgroups: cgroupsFor(env, sized),
    log,
  };
  checkWorkerStarts(options);
  return options;
}

/**
 * Starts one worker exactly as a pool would, with nothing to serve, so a sandbox that cannot
 * work here (no user namespaces, a wrong PLINTH_PYTHON) is reported at start-up, not per request.
 */
export function checkWorkerStarts(options: RuntimeOptions): void {
  let command: ReturnType<typeof workerCommand>;
  try {
    command = workerCommand(options, { network: false });
  } catch (error) {
    throw new PlinthError(
      'sandbox_unavailable',
      `cannot read the node runner ${options.runnerPath} (PLINTH_RUNNER_PATH): ${(error as Error).message}`,
    );
  }
  const fds = command.files.map((path) => openSync(path, 'r'));
  const probe = spawnSync(command.file, command.args, {
    input: '', // the runner exits cleanly as soon as its input closes
    stdio: ['pipe', 'pipe', 'pipe', ...fds],
    env: command.env,
    cwd: '/',
    timeout: options.workerStartMs,
    encoding: 'utf8',
    ...(command.uid !== undefined ? { uid: command.uid, gid: command.gid } : {}),
  });
  for (const fd of fds) closeSync(fd);
  if (probe.status === 0) return;
  const said = (probe.error?.message ?? probe.stderr ?? '').trim() || `exit status ${probe.status ?? probe.signal}`;
  const namespaces = /namespace|permission|operation not permitted/i.test(said)
    ? ' bwrap needs unprivileged user namespaces: check `sysctl user.max_user_namespaces` (must be > 0), ' +
      'on Ubuntu 24.04+ `sysctl kernel.apparmor_restrict_unprivileged_userns=0` or an AppArmor profile for bwrap, ' +
      'and in a container run it with user namespaces allowed.'
    : '';
  throw new PlinthError(
    'sandbox_unavailable',
    `could not start a ${options.sandbox === 'bwrap' ? 'sandboxed ' : ''}Python worker (${options.python} ` +
      `running ${options.runnerPath}): ${said}.${namespaces} PLINTH_PYTHON and PLINTH_RUNNER_PATH choose the ` +
      'interpreter and the runner file (workers run as nobody when the server runs as root).',
  );
}

const UNSAFE_BANNER = [
  '',
  '!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!',
  '!! PLINTH_UNSAFE_NO_SANDBOX=1: Python nodes run UNSANDBOXED.                  !!',
  '!! Any graph can read and write your files and use the network, as the user   !!',
  '!! running this server. Install bubblewrap and unset the variable to fix it.  !!',
  '!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!',
  '',
].join('\n');

function seccompOff(env: NodeJS.ProcessEnv): boolean {
  const value = env.PLINTH_SECCOMP ?? 'on';
  if (value !== 'on' && value !== 'off') {
    throw new ConfigError(`PLINTH_SECCOMP must be on or off, got ${JSON.stringify(value)}`);
  }
  return value === 'off';
}

/** The OS user workers run as: nobody when the server is root (so RLIMIT_NPROC applies), else the server's. */
function workerUser(): { uid?: number; gid?: number } {
  return process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
}

function cgroupsFor(
  env: NodeJS.ProcessEnv,
  sized: { workersPerPool: number; memoryLimitMb: number; maxProcesses: number; tmpMb: number; shmMb: number },
): RuntimeCgroups {
  const cpus = Number(env.PLINTH_POOL_CPUS || 1);
  if (!(cpus > 0) || !Number.isFinite(cpus)) {
    throw new ConfigError(`PLINTH_POOL_CPUS must be a positive number, got ${JSON.stringify(env.PLINTH_POOL_CPUS)}`);
  }
  const support = cgroupSupport(env.PLINTH_CGROUP_ROOT || undefined);
  if (!support.available) return support;
  // Everything a pool's workers may hold in memory: their heaps and their tmpfs files.
  const perWorkerMb = sized.memoryLimitMb + sized.tmpMb + sized.shmMb;
  const pools = new PoolCgroups(support.root, {
    memoryBytes: sized.workersPerPool * perWorkerMb * MIB,
    cpus,
    maxProcesses: sized.workersPerPool * (sized.maxProcesses + 4),
  });
  return { ...support, pools };
}
