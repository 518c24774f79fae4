import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { constants } from 'node:os';
import { FrameReader } from './frames.ts';
import type { RuntimeOptions } from './runtimeOptions.ts';
import type { WorkerCommand } from './sandboxCommand.ts';

export interface ProcessSettings {
  command: WorkerCommand;
  /** Largest frame the process may send; a larger one kills it (`onOversize`). */
  maxFrameBytes: number;
  /** Names the process in the server's log, e.g. the pool key. */
  label: string;
  options: Pick<RuntimeOptions, 'cpuSeconds' | 'maxFileBytes' | 'log'>;
}

/** Lines of a process's stderr the server's log takes per minute; beyond that they are counted, not logged. */
const STDERR_LINES_PER_MINUTE = 200;

/**
 * One long-lived sandboxed process speaking length-prefixed JSON frames on stdin/stdout: the
 * process layer under every protocol (graph nodes, models). It knows nothing of graphs: it spawns,
 * frames, enforces one deadline at a time, kills the whole sandbox, and says how it ended. Its
 * stderr goes to the server's log, never into an answer: it may hold another caller's data.
 */
export class SandboxProcess {
  private readonly child: ChildProcessWithoutNullStreams;
  private frameListener: (message: unknown) => void = () => {};
  private oversizeListener: (bytes: number) => void = () => {};
  private readonly exitListeners: ((how: string) => void)[] = [];
  /** Why we killed it ourselves, if we did; read when the process is gone. */
  private killedFor: string | null = null;
  private how: string | null = null;
  /**
   * One timer per process, not one per deadline: `deadline` is when the current one expires, and
   * the timer (due at `timerDue`) is only re-armed when a deadline comes before it.
   */
  private timer: NodeJS.Timeout | undefined;
  private timerDue = Infinity;
  private deadline = Infinity;
  private onDeadline: (() => void) | null = null;
  private stderrBudget = { minute: 0, lines: 0, dropped: 0 };
  readonly startedAt = Date.now();

  constructor(private readonly settings: ProcessSettings) {
    const { command } = settings;
    // Inherited directory fds (3, 4, ...) follow the three pipes; the streams stay non-null.
    this.child = spawn(command.file, command.args, {
      stdio: ['pipe', 'pipe', 'pipe', ...(command.fds ?? [])],
      env: command.env,
      cwd: '/',
      detached: true, // its own process group, so a kill reaches everything it started
      ...(command.uid !== undefined ? { uid: command.uid, gid: command.gid } : {}),
    }) as ChildProcessWithoutNullStreams;
    const reader = new FrameReader(
      (message) => this.frameListener(message),
      settings.maxFrameBytes,
      (bytes) => this.oversizeListener(bytes),
    );
    this.child.stdout.on('data', (chunk: Buffer) => reader.push(chunk));
    this.child.stderr.setEncoding('utf8');
    this.child.stderr.on('data', (text: string) => this.logStderr(text));
    this.child.stdin.on('error', () => {}); // EPIPE after a crash: reported through 'exit'
    this.child.on('error', (err) => this.gone(`could not be started: ${err.message}`));
    this.child.on('exit', (code, signal) => this.gone(this.killedFor ?? describeExit(code, signal, settings.options)));
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get alive(): boolean {
    return this.how === null;
  }

  /** Alive and not being killed: may serve another request. */
  get usable(): boolean {
    return this.how === null && this.killedFor === null;
  }

  /** How the process ended (or is ending, once killed); null while it runs. */
  get ending(): string | null {
    return this.how ?? this.killedFor;
  }

  onFrame(listener: (message: unknown) => void): void {
    this.frameListener = listener;
  }

  /** A frame over `maxFrameBytes` arrived: the process is killed, this says how big it was. */
  onOversize(listener: (bytes: number) => void): void {
    this.oversizeListener = (bytes) => {
      this.kill('was stopped because a reply was too large');
      listener(bytes);
    };
  }

  /** Runs `listener` once the process is gone (at once if it already is), with how it ended. */
  onExit(listener: (how: string) => void): void {
    if (this.how === null) this.exitListeners.push(listener);
    else listener(this.how);
  }

  send(frames: Buffer): void {
    if (this.how === null) this.child.stdin.write(frames);
  }

  /** Calls `onExpire` `timeoutMs` from now unless another deadline or `clearDeadline` replaces it. */
  setDeadline(timeoutMs: number, onExpire: () => void): void {
    const now = performance.now();
    this.deadline = now + timeoutMs;
    this.onDeadline = onExpire;
    if (this.timerDue > this.deadline) this.arm(now);
  }

  clearDeadline(): void {
    this.onDeadline = null;
    this.deadline = Infinity;
  }

  /** SIGKILLs the sandbox (bwrap's pid namespace takes every process inside with it). */
  kill(reason: string): void {
    if (this.how !== null) return;
    this.killedFor ??= reason;
    killGroup(this.child);
  }

  private arm(now: number): void {
    clearTimeout(this.timer);
    this.timerDue = this.deadline;
    this.timer = setTimeout(() => this.onTimer(), this.deadline - now);
  }

  private onTimer(): void {
    this.timer = undefined;
    this.timerDue = Infinity;
    if (this.onDeadline === null) return;
    const now = performance.now();
    if (now < this.deadline) {
      this.arm(now);
      return;
    }
    const expired = this.onDeadline;
    this.clearDeadline();
    expired();
  }

  private logStderr(text: string): void {
    const minute = Math.floor(Date.now() / 60_000);
    const budget = this.stderrBudget;
    if (budget.minute !== minute) {
      if (budget.dropped > 0) this.log(`(${budget.dropped} more lines of stderr were not logged)`);
      Object.assign(budget, { minute, lines: 0, dropped: 0 });
    }
    for (const line of text.split('\n')) {
      if (line.trim() === '') continue;
      if (budget.lines++ < STDERR_LINES_PER_MINUTE) this.log(line);
      else budget.dropped++;
    }
  }

  private log(line: string): void {
    this.settings.options.log(`[${this.settings.label} pid ${this.child.pid ?? '?'}] ${line}`);
  }

  private gone(how: string): void {
    if (this.how !== null) return;
    this.how = how;
    clearTimeout(this.timer);
    killGroup(this.child); // leftovers of an unsandboxed worker
    for (const listener of this.exitListeners.splice(0)) listener(how);
  }
}

function killGroup(child: ChildProcessWithoutNullStreams): void {
  const pid = child.pid;
  try {
    if (pid !== undefined) process.kill(-pid, 'SIGKILL');
  } catch {
    child.kill('SIGKILL'); // the group is gone; make sure the child is too
  }
}

/** A death signal or exit code in words, naming the rlimit that fired and its setting. */
function describeExit(
  code: number | null,
  signal: NodeJS.Signals | null,
  options: Pick<RuntimeOptions, 'cpuSeconds' | 'maxFileBytes'>,
): string {
  if (signal === 'SIGXCPU' || code === 128 + 24) {
    return `used up its CPU-time limit of ${options.cpuSeconds} s (PLINTH_WORKER_CPU_SECONDS)`;
  }
  if (signal === 'SIGXFSZ' || code === 128 + 25) {
    return `wrote a file larger than the ${options.maxFileBytes}-byte limit (PLINTH_WORKER_MAX_FILE_BYTES)`;
  }
  if (signal === 'SIGKILL' || code === 128 + 9) return 'was killed (SIGKILL)';
  if (signal) return `was killed by ${signal}`;
  // bwrap reports a child killed by signal n as exit status 128 + n.
  const byBwrap = code !== null && code > 128 ? signalName(code - 128) : undefined;
  return byBwrap ? `was killed by ${byBwrap}` : `exited with code ${code}`;
}

function signalName(n: number): string | undefined {
  return Object.entries(constants.signals).find(([, value]) => value === n)?.[0];
}
