import { spawnSync } from 'node:child_process';
import { lstatSync, readFileSync, readlinkSync, realpathSync } from 'node:fs';
import { dirname } from 'node:path';
import type { RuntimeOptions } from './runtimeOptions.ts';

const NOBODY = 65534;

/** The one thing a worker is started with: a command, its argv, and the OS user it runs as. */
export interface WorkerCommand {
  file: string;
  args: string[];
  /** The server's environment never reaches a worker: not even bwrap's own pid 1 sees it. */
  env: Record<string, string>;
  /** Set when the server runs as root: workers run as nobody, so RLIMIT_NPROC applies to them. */
  uid?: number;
  gid?: number;
  /** Open directories the process inherits as fds 3, 4, ... (see `SandboxSpec.dirFds`). */
  fds?: number[];
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
  /** Whether it may reach the network (a node said `network: true`). */
  network: boolean;
  /** Read-only mounts of host paths (a virtualenv, a model's `data/`), at `target` inside. */
  mounts?: readonly { source: string; target: string }[];
  /** More environment for the process inside (never the server's own). */
  env?: Readonly<Record<string, string>>;
  /**
   * Directories the server opened, seen inside at `target` through the inherited fd
   * (`/proc/self/fd/N`): the sandbox's user reaches them even when a parent folder (a 0700 data
   * dir, a home directory) would stop it. Read-only as the sandbox's root is.
   */
  dirFds?: readonly { fd: number; target: string }[];
  /** Device nodes bound read-write into /dev (a model's GPU: `/dev/nvidia*`). */
  devices?: readonly string[];
  /** The address-space limit in MB, when not the runtime's default (a model's `resources.memory`). */
  memoryLimitMb?: number;
  /** What runs inside: the node runner (`python -c <runner>`) unless given. */
  argv?: readonly string[];
}

/** The command that starts one sandboxed worker process. */
export function workerCommand(options: RuntimeOptions, spec: SandboxSpec): WorkerCommand {
  const { network } = spec;
  const user = process.getuid?.() === 0 ? { uid: NOBODY, gid: NOBODY } : {};
  // The runner travels as `python -c <source>`: nothing to bind, and readable whoever runs the
  // server (workers run as nobody under a root server, and nobody may not reach the checkout).
  const python = spec.argv ?? [options.python, '-B', '-c', runnerSource(options.runnerPath)];
  const env = { ...WORKER_ENV, ...spec.env };
  const limits = rlimitArgs(options, spec.memoryLimitMb ?? options.memoryLimitMb);
  if (options.sandbox === 'none') {
    return { file: '/usr/bin/prlimit', args: [...limits, '--', ...python], env, ...user };
  }
  const bwrap = options.bwrapPath ?? 'bwrap';
  const features = bwrapFeatures(bwrap);
  const args = [
    '--unshare-all',
    ...(network ? ['--share-net'] : []),
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
    ...(network ? networkFiles() : []),
    ...(spec.mounts ?? []).flatMap((m) => ['--ro-bind', m.source, m.target]),
    ...(spec.dirFds ?? []).flatMap((d, i) => ['--symlink', `/proc/self/fd/${3 + i}`, d.target]),
    '--proc',
    '/proc',
    '--dev',
    '/dev',
    ...(spec.devices ?? []).flatMap((device) => ['--dev-bind', device, device]),
    ...(features.size ? ['--size', String(options.tmpMb * 1024 * 1024)] : []),
    '--tmpfs',
    '/tmp',
    '--chdir',
    '/tmp',
    '--remount-ro',
    '/',
    '--',
    '/usr/bin/prlimit',
    ...limits,
    '--',
    ...python,
  ];
  const fds = (spec.dirFds ?? []).map((d) => d.fd);
  return {
    file: bwrap,
    args,
    env: { PATH: WORKER_ENV.PATH!, LANG: 'C.UTF-8' },
    ...user,
    ...(fds.length ? { fds } : {}),
  };
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

function networkFiles(): string[] {
  return [
    '/etc/resolv.conf',
    '/etc/hosts',
    '/etc/nsswitch.conf',
    '/etc/gai.conf',
    '/etc/ssl',
    '/etc/ca-certificates',
  ].flatMap((path) => ['--ro-bind-try', path, path]);
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
