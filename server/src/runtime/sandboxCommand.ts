import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, lstatSync, mkdtempSync, readlinkSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { RuntimeOptions } from './runtimeOptions.ts';

/** Where the runner file appears inside the sandbox. */
const RUNNER_IN_SANDBOX = '/plinth/plinth_runner.py';
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
}

const WORKER_ENV: Record<string, string> = {
  PATH: '/usr/bin:/bin',
  LANG: 'C.UTF-8',
  PYTHONDONTWRITEBYTECODE: '1',
  PYTHONUNBUFFERED: '1',
  HOME: '/tmp',
};

/** The command that starts one worker; `network` shares the host's network (a node said `network: true`). */
export function workerCommand(options: RuntimeOptions, network: boolean): WorkerCommand {
  const asRoot = process.getuid?.() === 0;
  const user = asRoot ? { uid: NOBODY, gid: NOBODY } : {};
  // nobody may not be able to reach the checkout (say, under /root): give it a readable copy.
  const runnerPath = asRoot ? readableCopy(options.runnerPath) : options.runnerPath;
  if (options.sandbox === 'none') {
    return {
      file: '/usr/bin/prlimit',
      args: [...rlimitArgs(options), '--', options.python, '-B', runnerPath],
      env: WORKER_ENV,
      ...user,
    };
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
    ...Object.entries(WORKER_ENV).flatMap(([k, v]) => ['--setenv', k, v]),
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
    '--ro-bind',
    runnerPath,
    RUNNER_IN_SANDBOX,
    '--proc',
    '/proc',
    '--dev',
    '/dev',
    ...(features.size ? ['--size', String(options.tmpMb * 1024 * 1024)] : []),
    '--tmpfs',
    '/tmp',
    '--chdir',
    '/tmp',
    '--remount-ro',
    '/',
    '--',
    '/usr/bin/prlimit',
    ...rlimitArgs(options),
    '--',
    options.python,
    '-B',
    RUNNER_IN_SANDBOX,
  ];
  return { file: bwrap, args, env: { PATH: WORKER_ENV.PATH!, LANG: 'C.UTF-8' }, ...user };
}

function rlimitArgs(options: RuntimeOptions): string[] {
  // CPU: SIGXCPU at the soft limit, SIGKILL five seconds later.
  return [
    `--as=${options.memoryLimitMb * 1024 * 1024}`,
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

const copies = new Map<string, string>();

/** A world-readable copy of the runner, made once per server process and removed when it exits. */
function readableCopy(source: string): string {
  let copy = copies.get(source);
  if (copy) return copy;
  const dir = mkdtempSync(join(tmpdir(), 'plinth-runner-'));
  chmodSync(dir, 0o755);
  copy = join(dir, 'plinth_runner.py');
  copyFileSync(source, copy);
  chmodSync(copy, 0o644);
  copies.set(source, copy);
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  return copy;
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
