import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import {
  nextAhead,
  type ExecutionPlan,
  type Json,
  type LogEntry,
  type NodeError,
  type NodeOutcome,
} from '@plinth/shared';
import { encodeFrame, encodeFrames, FrameReader } from './process/frames.ts';
import type { WorkerCommand } from './process/sandboxCommand.ts';
import { spawnWorker } from './process/spawnWorker.ts';

/** What the runner's `call` reply looks like on the wire. */
interface CallReply {
  id: number;
  /** Present on the replies for the nodes a chained call went on to. */
  node?: string;
  ok: boolean;
  output?: Json;
  error?: NodeError;
  logs: LogEntry[];
  retire?: boolean;
}

/** One node's result that the worker owes us: the called node, or one it chained on to. */
interface Step {
  callId: number;
  nodeId: string;
  input: Json;
  timeoutMs: number;
  resolve: (outcome: NodeOutcome) => void;
  /** Set when the worker runs ahead by this plan. */
  plan: ExecutionPlan | null;
}

interface Call {
  step: Step;
  /** The call frame's JSON, made when the call is made. */
  text: string;
}

/** A result of a node run ahead, waiting for the executor to ask for that node. */
interface Ahead {
  nodeId: string;
  outcome: Promise<NodeOutcome>;
}

/** A worker that could not start: code and message are ready for a node error. */
export class WorkerStartError extends Error {
  constructor(
    readonly code: 'node_timeout' | 'worker_crashed',
    message: string,
  ) {
    super(message);
    this.name = 'WorkerStartError';
  }
}

export interface WorkerSettings {
  command: WorkerCommand;
  nodes: { id: string; code: string }[];
  /** What a call may run ahead (`followTable` of the shared plan); sent once with the nodes. */
  follow: Record<string, string | Record<string, string>>;
  /** Budget for the interpreter to start and every node's module-level code to run. */
  loadTimeoutMs: number;
  maxOutputBytes: number;
  /** Turns a death signal or exit code into words, e.g. naming the rlimit that fired. */
  describeExit: (code: number | null, signal: NodeJS.Signals | null) => string;
  log: (message: string) => void;
}

const STDERR_TAIL_BYTES = 4096;

/**
 * One long-lived sandboxed CPython process serving the runner's framed protocol.
 * Calls run one at a time; each has its own deadline, after which the whole sandbox is killed.
 */
export class Worker {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly queue: Call[] = [];
  private current: Step | null = null;
  /** Results of chained nodes, in the order the executor will ask for them. */
  private ahead: Ahead[] = [];
  /** Runs whose `end` frame is not sent yet; see `end`. */
  private pendingEnds: string[] = [];
  /**
   * One timer per worker, not one per call: `deadline` is when the current step times out, and
   * the timer (due at `timerDue`) is only re-armed when a step's deadline comes before it.
   */
  private timer: NodeJS.Timeout | undefined;
  private timerDue = Infinity;
  private deadline = Infinity;
  private nextId = 1;
  private stderrTail = '';
  /** Why we killed it ourselves, if we did; read when the process is gone. */
  private killedFor: string | null = null;
  private onLoaded: ((error?: WorkerStartError) => void) | null = null;
  private exitListeners: (() => void)[] = [];
  alive = true;
  readonly startedAt = Date.now();
  /** Set when the worker has used most of its CPU-time budget: replace it after this run. */
  retire = false;

  private constructor(private readonly settings: WorkerSettings) {
    const { command } = settings;
    this.child = spawnWorker(command); // its own process group, so a kill reaches everything it started
    const reader = new FrameReader(
      (message) => this.onFrame(message),
      settings.maxOutputBytes,
      (bytes) => this.onOversize(bytes),
    );
    this.child.stdout.on('data', (chunk: Buffer) => reader.push(chunk));
    this.child.stderr.setEncoding('utf8');
    this.child.stderr.on('data', (text: string) => {
      this.stderrTail = (this.stderrTail + text).slice(-STDERR_TAIL_BYTES);
    });
    this.child.stdin.on('error', () => {}); // EPIPE after a crash: reported through 'exit'
    this.child.on('error', (err) => this.onGone(`could not be started: ${err.message}`));
    this.child.on('exit', (code, signal) => this.onGone(this.killedFor ?? settings.describeExit(code, signal)));
  }

  /** Starts a worker and loads every node; resolves once it answers, rejects with a WorkerStartError. */
  static start(settings: WorkerSettings): Promise<Worker> {
    const worker = new Worker(settings);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        worker.kill(`was stopped: loading the nodes took longer than ${settings.loadTimeoutMs} ms`);
        reject(
          new WorkerStartError(
            'node_timeout',
            `the graph's module-level code (imports and set-up outside process) did not finish within ` +
              `${settings.loadTimeoutMs} ms (PLINTH_WORKER_START_MS plus the sum of its code nodes' timeoutMs)`,
          ),
        );
      }, settings.loadTimeoutMs);
      worker.onLoaded = (error) => {
        clearTimeout(timer);
        worker.onLoaded = null;
        if (error) reject(error);
        else resolve(worker);
      };
      worker.child.stdin.write(encodeFrame({ op: 'load', nodes: settings.nodes, follow: settings.follow }));
    });
  }

  /** Alive and not being killed: may serve another run. */
  get usable(): boolean {
    return this.alive && this.killedFor === null;
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /**
   * Calls a node; `ctx` is only needed on a run's first call to this worker. With `chain`, the
   * worker goes on to the nodes the plan says follow, and their results wait in `takeSpeculated`.
   */
  call(
    nodeId: string,
    data: Json,
    ctx: object | undefined,
    runId: string,
    timeoutMs: number,
    plan: ExecutionPlan | null = null,
  ): Promise<NodeOutcome> {
    return new Promise((resolve) => {
      if (!this.alive) {
        resolve(crashed(`the worker for node '${nodeId}' had already stopped (${this.killedFor ?? 'exited'})`));
        return;
      }
      const id = this.nextId++;
      const frame: Record<string, unknown> = { op: 'call', id, run: runId, node: nodeId, data };
      if (ctx !== undefined) frame.ctx = ctx;
      if (plan) frame.chain = true;
      const text = JSON.stringify(frame);
      this.queue.push({ step: { callId: id, nodeId, input: data, timeoutMs, resolve, plan }, text });
      if (!this.current) this.sendNext();
    });
  }

  /**
   * The result of the node this worker runs ahead, which the executor now asks for (the shared
   * plan says which node that is, and its input is what the worker fed it).
   */
  takeAhead(nodeId: string): Promise<NodeOutcome> {
    const head = this.ahead.shift();
    if (head?.nodeId === nodeId) return head.outcome;
    this.ahead = [];
    return Promise.resolve(
      crashed(`internal: the worker ran node '${head?.nodeId ?? 'none'}' ahead, not node '${nodeId}' (a Plinth bug)`),
    );
  }

  /**
   * Drops a run's ctx.state in the worker. The frame rides along with the worker's next call:
   * one pipe write per run instead of two (waking the worker is the costly part of a write).
   */
  end(runId: string): void {
    this.ahead = [];
    this.pendingEnds.push(runId);
  }

  /** Runs `listener` once the process is gone (at once if it already is). */
  onExit(listener: () => void): void {
    if (this.alive) this.exitListeners.push(listener);
    else listener();
  }

  /** SIGKILLs the sandbox (bwrap's pid namespace takes every process inside with it). */
  kill(reason: string): void {
    if (!this.alive) return;
    this.killedFor ??= reason;
    const pid = this.child.pid;
    try {
      if (pid !== undefined) process.kill(-pid, 'SIGKILL');
    } catch {
      this.child.kill('SIGKILL');
    }
  }

  private sendNext(): void {
    const call = this.queue.shift();
    if (!call) {
      this.current = null;
      return;
    }
    this.begin(call.step);
    const texts = this.pendingEnds.map((run) => JSON.stringify({ op: 'end', run }));
    this.pendingEnds = [];
    texts.push(call.text);
    this.child.stdin.write(encodeFrames(texts));
  }

  private begin(step: Step): void {
    this.current = step;
    const now = performance.now();
    this.deadline = now + step.timeoutMs;
    if (this.timerDue > this.deadline) this.arm(now);
  }

  private arm(now: number): void {
    clearTimeout(this.timer);
    this.timerDue = this.deadline;
    this.timer = setTimeout(() => this.onTimer(), this.deadline - now);
  }

  private disarm(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.timerDue = Infinity;
  }

  private onTimer(): void {
    this.timer = undefined;
    this.timerDue = Infinity;
    const step = this.current;
    if (!step) return;
    const now = performance.now();
    if (now < this.deadline) this.arm(now);
    else this.onTimeout(step);
  }

  private onFrame(message: unknown): void {
    if (this.onLoaded) {
      this.onLoaded();
      return;
    }
    const reply = message as CallReply;
    const step = this.current;
    if (!step || reply.id !== step.callId) return; // a late reply to a call we gave up on
    if (reply.node !== undefined && reply.node !== step.nodeId) {
      this.current = null;
      this.kill(`was stopped: it ran node '${reply.node}' where node '${step.nodeId}' was expected`);
      step.resolve(
        crashed(`the worker ran node '${reply.node}' where node '${step.nodeId}' was expected (a Plinth bug)`),
      );
      return;
    }
    if (reply.retire) this.retire = true;
    const outcome: NodeOutcome = reply.ok
      ? { ok: true, output: reply.output ?? null, logs: reply.logs }
      : { ok: false, error: reply.error!, logs: reply.logs };
    step.resolve(outcome);
    const next = step.plan && outcome.ok ? nextAhead(step.plan, step.nodeId, step.input, outcome.output) : null;
    if (!next) {
      this.sendNext();
      return;
    }
    // The worker is already running `next`: its result waits for the executor to ask.
    let resolve!: (outcome: NodeOutcome) => void;
    const promise = new Promise<NodeOutcome>((r) => (resolve = r));
    this.ahead.push({ nodeId: next.nodeId, outcome: promise });
    const nextNode = step.plan!.byId.get(next.nodeId)!.node as { timeoutMs: number };
    this.begin({
      callId: step.callId,
      nodeId: next.nodeId,
      input: next.data,
      timeoutMs: nextNode.timeoutMs,
      resolve,
      plan: step.plan,
    });
  }

  private onTimeout(step: Step): void {
    if (this.current !== step) return;
    this.current = null;
    this.kill(`was stopped because node '${step.nodeId}' timed out`);
    step.resolve({
      ok: false,
      logs: [],
      error: { code: 'node_timeout', message: `node '${step.nodeId}' did not return within ${step.timeoutMs} ms` },
    });
  }

  private onOversize(bytes: number): void {
    const step = this.current;
    this.current = null;
    this.disarm();
    this.kill('was stopped because a reply was too large');
    if (!step) return;
    const limit = this.settings.maxOutputBytes;
    step.resolve({
      ok: false,
      logs: [],
      error: {
        code: 'invalid_output',
        message: `node '${step.nodeId}' returned ${bytes} bytes of JSON, more than the ${limit}-byte limit (PLINTH_MAX_OUTPUT_BYTES)`,
      },
    });
  }

  private onGone(how: string): void {
    if (!this.alive) return;
    this.alive = false;
    this.disarm();
    const pid = this.child.pid;
    try {
      if (pid !== undefined) process.kill(-pid, 'SIGKILL'); // leftovers of an unsandboxed worker
    } catch {
      // the group is already gone
    }
    const stderr = this.stderrTail.trim();
    const detail = stderr ? `; its last output on stderr:\n${lastLines(stderr, 12)}` : '';
    if (this.onLoaded) {
      this.onLoaded(
        new WorkerStartError('worker_crashed', `the Python worker ${how} while loading the nodes${detail}`),
      );
    }
    if (this.current) {
      this.current.resolve(crashed(`the worker running node '${this.current.nodeId}' ${how}${detail}`));
      this.current = null;
    }
    for (const { step } of this.queue.splice(0)) {
      step.resolve(crashed(`the worker ${how} before node '${step.nodeId}' could run`));
    }
    for (const listener of this.exitListeners.splice(0)) listener();
  }
}

function crashed(message: string): NodeOutcome {
  return { ok: false, logs: [], error: { code: 'worker_crashed', message } };
}

function lastLines(text: string, count: number): string {
  return text.split('\n').slice(-count).join('\n');
}
