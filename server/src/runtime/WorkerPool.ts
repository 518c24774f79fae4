import { constants } from 'node:os';
import {
  DEFAULT_NODE_TIMEOUT_MS,
  followTable,
  isCodeNode,
  planGraph,
  type CodeNode,
  type GraphDocument,
} from '@plinth/shared';
import type { RuntimeOptions } from './process/runtimeOptions.ts';
import { workerCommand } from './process/sandboxCommand.ts';
import { Worker, WorkerStartError, type WorkerSettings } from './Worker.ts';

const QUICK_DEATH_MS = 1000;

interface Waiter {
  resolve: (worker: Worker) => void;
  reject: (error: Error) => void;
}

/**
 * The workers of one immutable graph (a published version or a draft revision). A run leases
 * one worker for its whole length; when all are busy, runs wait their turn (FIFO).
 */
export class WorkerPool {
  private readonly settings: WorkerSettings;
  private readonly workers = new Set<Worker>();
  private readonly idle: Worker[] = [];
  private readonly waiters: Waiter[] = [];
  private starting = 0;
  private closed = false;

  constructor(
    readonly key: string,
    graph: GraphDocument,
    private readonly options: RuntimeOptions,
    private readonly onSpawn: () => void,
  ) {
    const codeNodes = graph.nodes.filter(isCodeNode);
    this.settings = {
      command: workerCommand(options, { network: codeNodes.some((n) => n.network), group: key }),
      nodes: codeNodes.map((n) => ({ id: n.id, code: n.code })),
      follow: followTable(planGraph(graph)),
      loadTimeoutMs: options.workerStartMs + codeNodes.reduce((sum, n) => sum + timeoutOf(n), 0),
      maxOutputBytes: options.maxOutputBytes,
      describeExit: (code, signal) => describeExit(code, signal, options),
      log: options.log,
    };
  }

  /** Runs currently holding a worker. */
  get busy(): number {
    return this.workers.size - this.idle.length;
  }

  get size(): number {
    return this.workers.size;
  }

  lease(): Promise<Worker> {
    if (this.closed) return Promise.reject(new WorkerStartError('worker_crashed', `pool ${this.key} was stopped`));
    const worker = this.idle.pop();
    if (worker) return Promise.resolve(worker);
    return new Promise((resolve, reject) => {
      this.waiters.push({ resolve, reject });
      this.grow();
    });
  }

  /** Gives a worker back after a run: its ctx.state is dropped, and it serves the next run. */
  release(worker: Worker, runId: string | undefined): void {
    if (!worker.usable) return; // its exit handler deals with it
    if (this.closed || worker.retire) {
      worker.kill(this.closed ? 'was stopped with its pool' : 'was replaced after using most of its CPU-time budget');
      return;
    }
    if (runId !== undefined) worker.end(runId);
    this.hand(worker);
  }

  /** Starts workers until the pool is full; rejects on the first that cannot start. */
  async warm(): Promise<void> {
    const starts: Promise<void>[] = [];
    while (this.workers.size + this.starting < this.options.workersPerPool) {
      starts.push(this.startOne().then((w) => this.hand(w)));
    }
    await Promise.all(starts);
  }

  /**
   * Stops the pool. Idle workers stop now; leased ones when their run ends, or at once with
   * `now` (server shutdown: those runs get a worker_crashed error).
   */
  close(now = false): Promise<void> {
    this.closed = true;
    for (const waiter of this.waiters.splice(0)) {
      waiter.reject(new WorkerStartError('worker_crashed', `pool ${this.key} was stopped`));
    }
    const exits = [...this.workers].map((w) => new Promise<void>((resolve) => w.onExit(resolve)));
    for (const worker of now ? [...this.workers] : this.idle) worker.kill('was stopped with its pool');
    this.idle.length = 0;
    return Promise.all(exits).then(() => undefined);
  }

  private hand(worker: Worker): void {
    if (!worker.usable) return;
    if (this.closed) {
      worker.kill('was stopped with its pool');
      return;
    }
    const waiter = this.waiters.shift();
    if (waiter) waiter.resolve(worker);
    else this.idle.push(worker);
  }

  /** Starts workers for waiting runs, up to the pool's size. */
  private grow(): void {
    while (this.workers.size + this.starting < this.options.workersPerPool && this.starting < this.waiters.length) {
      this.startOne().then(
        (worker) => this.hand(worker),
        // The same graph would fail the same way for every waiting run; later runs try again.
        (error: Error) => {
          for (const waiter of this.waiters.splice(0)) waiter.reject(error);
        },
      );
    }
  }

  private async startOne(): Promise<Worker> {
    this.starting++;
    this.onSpawn();
    try {
      const worker = await Worker.start(this.settings);
      this.workers.add(worker);
      worker.onExit(() => this.onWorkerExit(worker));
      return worker;
    } finally {
      this.starting--;
    }
  }

  private onWorkerExit(worker: Worker): void {
    this.workers.delete(worker);
    const at = this.idle.indexOf(worker);
    if (at >= 0) this.idle.splice(at, 1);
    if (this.closed) return;
    if (this.waiters.length > 0) {
      this.grow();
      return;
    }
    // Replace it in the background so the next run finds a warm worker; a worker that died
    // right after starting is replaced only when a run needs one, so a broken node cannot spin.
    if (Date.now() - worker.startedAt < QUICK_DEATH_MS) return;
    this.startOne().then(
      (replacement) => this.hand(replacement),
      (error: Error) => this.options.log(`plinth: could not replace a worker of ${this.key}: ${error.message}`),
    );
  }
}

function timeoutOf(node: CodeNode): number {
  return node.timeoutMs ?? DEFAULT_NODE_TIMEOUT_MS;
}

function describeExit(code: number | null, signal: NodeJS.Signals | null, options: RuntimeOptions): string {
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
