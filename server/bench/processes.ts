import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/** A free TCP port on loopback, chosen by the kernel. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

interface ProcStat {
  pid: number;
  ppid: number;
  comm: string;
  /** utime + stime, in clock ticks. */
  cpuTicks: number;
  startTime: string;
}

/** CPU ticks of a process's main thread alone (its other threads, e.g. Node's workers, left out). */
export function mainThreadTicks(pid: number): number {
  return readStat(pid, `/proc/${pid}/task/${pid}/stat`)?.cpuTicks ?? 0;
}

// /proc/<pid>/stat: "pid (comm) state ppid ..."; comm may hold spaces and parens.
function readStat(pid: number, file = `/proc/${pid}/stat`): ProcStat | null {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return null;
  }
  const close = text.lastIndexOf(')');
  const fields = text.slice(close + 2).split(' ');
  return {
    pid,
    ppid: Number(fields[1]),
    comm: text.slice(text.indexOf('(') + 1, close),
    cpuTicks: Number(fields[11]) + Number(fields[12]),
    startTime: fields[19] ?? '',
  };
}

/** The process `root` and all its descendants (bubblewrap's children included, whatever their session). */
export function processTree(root: number): ProcStat[] {
  const all = readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map((name) => readStat(Number(name)))
    .filter((stat): stat is ProcStat => stat !== null);
  const tree = all.filter((s) => s.pid === root);
  for (let i = 0; i < tree.length; i++) {
    for (const s of all) if (s.ppid === tree[i]!.pid) tree.push(s);
  }
  return tree;
}

/** Total busy and all CPU ticks of the machine, from /proc/stat. */
export function machineTicks(): { busy: number; total: number } {
  const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const total = cpu.reduce((a, b) => a + b, 0);
  const idle = (cpu[3] ?? 0) + (cpu[4] ?? 0);
  return { busy: total - idle, total };
}

export interface Managed {
  name: string;
  child: ChildProcess;
  pid: number;
  /** The last lines it printed, for error messages. */
  output: string[];
  exited: Promise<void>;
}

/**
 * Child processes that must not outlive the benchmark. Each runs in its own
 * process group, so stopping it also stops the workers it started.
 */
export class ProcessSet {
  private readonly running = new Map<number, Managed>();

  start(name: string, command: string, args: string[], options: SpawnOptions): Managed {
    const child = spawn(command, args, { ...options, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    if (child.pid === undefined) throw new Error(`${name}: could not start ${command}`);
    const output: string[] = [];
    const keep = (chunk: Buffer) => {
      output.push(...chunk.toString().split('\n').filter(Boolean));
      output.splice(0, Math.max(0, output.length - 40));
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    const managed = { name, child, output, exited, pid: child.pid };
    this.running.set(child.pid, managed);
    void exited.then(() => this.running.delete(child.pid!));
    return managed;
  }

  /** SIGTERM to the group, SIGKILL after a grace period, then any descendant that escaped the group. */
  async stop(pid: number, graceMs = 3000): Promise<void> {
    const managed = this.running.get(pid);
    if (!managed) return;
    const tree = processTree(pid);
    signalGroup(pid, 'SIGTERM');
    const timer = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), graceMs).unref());
    if ((await Promise.race([managed.exited, timer])) === 'timeout') signalGroup(pid, 'SIGKILL');
    await managed.exited;
    for (const proc of tree) {
      if (readStat(proc.pid)?.startTime === proc.startTime) signalPid(proc.pid, 'SIGKILL');
    }
  }

  async stopAll(): Promise<void> {
    await Promise.all([...this.running.keys()].map((pid) => this.stop(pid)));
  }

  /** Last resort from a synchronous `exit` handler. */
  killAllNow(): void {
    for (const pid of this.running.keys()) signalGroup(pid, 'SIGKILL');
  }
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    signalPid(pid, signal);
  }
}

function signalPid(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
}
