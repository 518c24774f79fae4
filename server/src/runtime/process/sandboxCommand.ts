import type { Reach } from './egressRules.ts';
import { spawnSync } from 'node:child_process';
import { lstatSync, readFileSync, readlinkSync, realpathSync } from 'node:fs';
import { dirname } from 'node:path';
import { gatedLauncher, prepareProcess } from './launcher.ts';
import type { RuntimeOptions } from './runtimeOptions.ts';

const NOBODY = 65534;

/**
 * How one worker process is started. Contract for the pools: call `workerCommand` for a worker
 * (the result may be reused for every worker of a pool) and start each process with
 * `spawnWorker(command)`, which hands it `files` and runs `prepare`; kill it by its process group.
 */
export interface WorkerCommand {
  file: string;
  args: string[];
  /** The server's environment never reaches a worker: not even bwrap's own pid 1 sees it. */
  env: Record<string, string>;
  /** Set when the server runs as root: workers run as nobody, so RLIMIT_NPROC applies to them. */
  uid?: number;
  gid?: number;
  /**
   * Files the process gets as fd 3, 4, ... in this order, opened afresh for each process (bwrap
   * reads its seccomp filter from fd 3, and reading moves a shared file offset).
   */
  files: string[];
  /**
   * Per-process set-up for a gated launcher: once the process's namespaces exist it writes `ready`
   * on the gate (the fd after `files`); `prepare(pid)` then runs (slirp4netns, the pool's cgroup)
   * and the launcher is told to go on, or why not. What it resolves to runs when the process exits.
   */
  prepare?: (pid: number) => Promise<() => void>;
}

const WORKER_ENV: Record<string, string> = {
  PATH: '/usr/bin:/bin',
  LANG: 'C.UTF-8',
  PYTHONDONTWRITEBYTECODE: '1',
  PYTHONUNBUFFERED: '1',
  HOME: '/tmp',
};

/** What one kind of sandboxed process needs beyond the defaults. */
export interface SandboxSpec {
  /** Whether it may reach the network (a node said `network: true`): filtered egress, see network.ts. */
  network: boolean;
  /**
   * With network: the only destinations in denied ranges it may reach besides `PLINTH_NETWORK_ALLOW`
   * (pip's package index on this machine or a private network). Never set for node code.
   */
  reach?: readonly Reach[];
  /** The pool it belongs to: its workers share one cgroup where the host delegates cgroups. */
  group?: string;
  /** Read-only mounts of host paths (a virtualenv, a model's `data/`), at `target` inside. */
  mounts?: readonly { source: string; target: string }[];
  /** Writable mounts of host paths (only a virtualenv being built); everything else stays read-only. */
  writableMounts?: readonly { source: string; target: string }[];
  /**
   * Directories the server opens for each process, seen inside at `target` through the inherited
   * fd: for a server running as root, whose sandboxes run as nobody and may not traverse the 0700
   * data dir to bind a path in it. Read-only, as the sandbox's root is.
   */
  dirs?: readonly { source: string; target: string }[];
  /** Device nodes bound read-write into /dev (a model's GPU: `/dev/nvidia*`). */
  devices?: readonly string[];
  /** More environment for the process inside (never the server's own). */
  env?: Readonly<Record<string, string>>;
  /** The address-space limit in MB, when not the runtime's default (a model's `resources.memory`). */
  memoryLimitMb?: number;
  /** What runs inside: the node runner (`python -c <runner>`) unless given. */
  argv?: readonly string[];
}

/** The command that starts one sandboxed worker process. */
export function workerCommand(options: RuntimeOptions, spec: SandboxSpec): WorkerCommand {
  const user = process.getuid?.() === 0 ? { uid: NOBODY, gid: NOBODY } : {};
  // The runner travels as `python -c <source>`: nothing to bind, and readable whoever runs the
  // server (workers run as nobody under a root server, and nobody may not reach the checkout).
  const python = spec.argv ?? [options.python, '-B', '-c', runnerSource(options.runnerPath)];
  const env = { ...WORKER_ENV, ...spec.env };
  const limits = rlimitArgs(options, spec.memoryLimitMb ?? options.memoryLimitMb);
  if (options.sandbox === 'none') {
    return { file: '/usr/bin/prlimit', args: [...limits, '--', ...python], env, files: [], ...user };
  }
  const bwrap = options.bwrapPath ?? 'bwrap';
  const network = spec.network ? options.network : undefined;
  const resolvConf = network?.available ? network.resolvConf : undefined;
  // bwrap reads these from fd 3, 4, ...: the seccomp filter, a networked sandbox's resolv.conf.
  const own = [options.seccompFilter, resolvConf].filter((file) => file != null);
  const dirs = spec.dirs ?? [];
  // ... then the directories the server opens for it.
  const files = [...own, ...dirs.map((d) => d.source)];
  const fdOf = (file: string | null | undefined) => (file ? String(3 + own.indexOf(file)) : undefined);
  const inside = bwrapArgs(options, spec, env, ['/usr/bin/prlimit', ...limits, '--', ...python], {
    seccomp: fdOf(options.seccompFilter),
    resolvConf: fdOf(resolvConf),
    dirs: dirs.map((d, i) => ({ fd: 3 + own.length + i, target: d.target })),
  });
  const launcherEnv = { PATH: WORKER_ENV.PATH!, LANG: 'C.UTF-8' };
  const cgroup = spec.group !== undefined && options.cgroups.available ? options.cgroups : undefined;
  if (!network && !cgroup) return { file: bwrap, args: inside, env: launcherEnv, files, ...user };
  return {
    ...gatedLauncher(bwrap, inside, 3 + files.length, network, spec.reach),
    env: launcherEnv,
    files,
    prepare: (pid) => prepareProcess(pid, network, cgroup && { pools: cgroup.pools, pool: spec.group! }, spec.reach),
    ...user,
  };
}

/** bwrap's argv: namespaces, the read-only system, private /tmp and /dev/shm, then `command`. */
function bwrapArgs(
  options: RuntimeOptions,
  spec: SandboxSpec,
  env: Record<string, string>,
  command: string[],
  fds: { seccomp: string | undefined; resolvConf: string | undefined; dirs: { fd: number; target: string }[] },
): string[] {
  const features = bwrapFeatures(options.bwrapPath ?? 'bwrap');
  const sized = (mb: number) => (features.size ? ['--size', String(mb * 1024 * 1024)] : []);
  return [
    '--unshare-all',
    // The launcher made a network namespace with its filter and slirp4netns; bwrap stays in it,
    // mapping the same uid as a sandbox without network has.
    ...(fds.resolvConf ? ['--share-net', '--uid', String(sandboxUid()), '--gid', String(sandboxGid())] : []),
    '--unshare-user',
    ...(features.disableUserns ? ['--disable-userns'] : []),
    '--die-with-parent',
    '--new-session',
    '--clearenv',
    ...Object.entries(env).flatMap(([k, v]) => ['--setenv', k, v]),
    '--ro-bind',
    '/usr',
    '/usr',
    ...systemDirs(),
    ...pythonOutsideUsr(options.python),
    '--ro-bind-try',
    '/etc/alternatives',
    '/etc/alternatives',
    '--ro-bind-try',
    '/etc/localtime',
    '/etc/localtime',
    ...(fds.resolvConf ? networkFiles(fds.resolvConf) : []),
    ...(spec.mounts ?? []).flatMap((m) => ['--ro-bind', m.source, m.target]),
    ...(spec.writableMounts ?? []).flatMap((m) => ['--bind', m.source, m.target]),
    ...fds.dirs.flatMap((d) => ['--symlink', `/proc/self/fd/${d.fd}`, d.target]),
    '--proc',
    '/proc',
    '--dev',
    '/dev',
    ...(spec.devices ?? []).flatMap((device) => ['--dev-bind', device, device]),
    // /dev is a tmpfs the size of half the host's memory: its shm gets a cap, and the rest is read-only.
    ...sized(options.shmMb),
    '--tmpfs',
    '/dev/shm',
    '--remount-ro',
    '/dev',
    ...sized(options.tmpMb),
    '--tmpfs',
    '/tmp',
    '--chdir',
    '/tmp',
    '--remount-ro',
    '/',
    ...(fds.seccomp ? ['--seccomp', fds.seccomp] : []),
    '--',
    ...command,
  ];
}

/** The uid and gid user code sees: nobody under a root server, else the server's own. */
function sandboxUid(): number {
  return process.getuid?.() === 0 ? NOBODY : (process.getuid?.() ?? NOBODY);
}

function sandboxGid(): number {
  return process.getuid?.() === 0 ? NOBODY : (process.getgid?.() ?? NOBODY);
}

function rlimitArgs(options: RuntimeOptions, memoryLimitMb: number): string[] {
  // CPU: SIGXCPU at the soft limit, SIGKILL five seconds later.
  return [
    `--as=${memoryLimitMb * 1024 * 1024}`,
    `--cpu=${options.cpuSeconds}:${options.cpuSeconds + 5}`,
    `--nproc=${options.maxProcesses}`,
    `--fsize=${options.maxFileBytes}`,
    '--core=0',
  ];
}

/** /bin, /lib, ... as the host has them: symlinks into /usr on merged-/usr systems, directories otherwise. */
function systemDirs(): string[] {
  const args: string[] = [];
  for (const dir of ['/bin', '/sbin', '/lib', '/lib32', '/lib64', '/libx32']) {
    try {
      const stat = lstatSync(dir);
      if (stat.isSymbolicLink()) args.push('--symlink', readlinkSync(dir), dir);
      else if (stat.isDirectory()) args.push('--ro-bind', dir, dir);
    } catch {
      // absent on this system
    }
  }
  return args;
}

/** A Python installed outside /usr (e.g. /opt/python3.11) needs its prefix visible, read-only. */
function pythonOutsideUsr(python: string): string[] {
  let real: string;
  try {
    real = realpathSync(python);
  } catch {
    return []; // the worker's start-up reports the missing interpreter
  }
  if (real.startsWith('/usr/')) return [];
  const prefix = dirname(dirname(real));
  return ['--ro-bind', prefix, prefix, ...(python !== real ? ['--ro-bind', dirname(python), dirname(python)] : [])];
}

/** What name resolution needs; resolv.conf names slirp4netns's DNS forwarder, read from fd `resolvConfFd`. */
function networkFiles(resolvConfFd: string): string[] {
  return [
    '--ro-bind-data',
    resolvConfFd,
    '/etc/resolv.conf',
    ...['/etc/hosts', '/etc/nsswitch.conf', '/etc/gai.conf', '/etc/ssl', '/etc/ca-certificates'].flatMap((path) => [
      '--ro-bind-try',
      path,
      path,
    ]),
  ];
}

const sources = new Map<string, string>();

function runnerSource(path: string): string {
  let source = sources.get(path);
  if (source === undefined) {
    source = readFileSync(path, 'utf8');
    sources.set(path, source);
  }
  return source;
}

interface BwrapFeatures {
  /** `--disable-userns` (bubblewrap 0.8+): no nested user namespaces inside the sandbox. */
  disableUserns: boolean;
  /** `--size` (bubblewrap 0.7+): a size cap on the private /tmp. */
  size: boolean;
}

const featureCache = new Map<string, BwrapFeatures>();

/** What this bwrap supports, from its --help, so older distributions still get a sandbox. */
function bwrapFeatures(bwrap: string): BwrapFeatures {
  let features = featureCache.get(bwrap);
  if (features) return features;
  const help = spawnSync(bwrap, ['--help'], { encoding: 'utf8' });
  const text = `${help.stdout ?? ''}${help.stderr ?? ''}`;
  features = { disableUserns: text.includes('--disable-userns'), size: text.includes('--size') };
  featureCache.set(bwrap, features);
  return features;
}
