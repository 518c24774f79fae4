import { PlinthError } from '@plinth/shared';

/** What a pool needs of the processes it keeps. */
export interface PooledProcess {
  /** Alive and not being killed. */
  readonly usable: boolean;
  readonly startedAt: number;
  /** Set when the process should be replaced after its current use (e.g. most of its CPU budget used). */
  readonly retire?: boolean;
  onExit(listener: () => void): void;
  kill(reason: string): void;
}

export interface PoolLimits {
  /** Processes in the pool. */
  size: number;
  /** Uses one process takes at once (a model's `predict_concurrency`); 1 when absent. */
  capacity?: number;
  /** Uses that may wait for a process beyond those running; more are refused at once (503). */
  maxQueue: number;
  /** How long a use may wait for a process before it is refused (503). */
  queueTimeoutMs: number;
}

export interface LeaseOptions {
  /** Aborted when the caller gave up (its client disconnected): it leaves the queue. */
  signal?: AbortSignal;
}

/** A process that could not start, with the node error code its users should see. */
export class ProcessStartError extends Error {
  constructor(
    readonly code: 'node_timeout' | 'worker_crashed',
    message: string,
  ) {
    super(message);
    this.name = 'ProcessStartError';
  }
}

interface Waiter<P> {
  resolve: (process: P) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
  signal: AbortSignal | undefined;
  onAbort: () => void;
}

/** A process that died this soon after starting is replaced only when a use needs one (no spinning). */
const QUICK_DEATH_MS = 1000;

/**
 * Long-lived processes of one kind (one graph version's worker group, one model version), each
 * leased for up to `capacity` uses at a time (one, unless said). When all are busy, uses wait in a
 * bounded FIFO queue with a deadline; a crashed process is replaced in the background so the next
 * use finds a warm one.
 */
export class ProcessPool<P extends PooledProcess> {
  private readonly all = new Set<P>();
  /** Processes with a free slot, each once; the last one is leased first. */
  private readonly idle: P[] = [];
  /** Uses each process holds now. */
  private readonly uses = new Map<P, number>();
  private busyUses = 0;
  private readonly waiters: Waiter<P>[] = [];
  private startingCount = 0;
  private closed = false;

  constructor(
    readonly key: string,
    private readonly limits: PoolLimits,
    private readonly start: () => Promise<P>,
    private readonly log: (message: string) => void,
  ) {}

  /** Uses currently holding a process. */
  get busy(): number {
    return this.busyUses;
  }

  private get capacity(): number {
    return this.limits.capacity ?? 1;
  }

  get size(): number {
    return this.all.size;
  }

  /** Processes being started right now. */
  get starting(): number {
    return this.startingCount;
  }

  get queued(): number {
    return this.waiters.length;
  }

  lease(options: LeaseOptions = {}): Promise<P> {
    if (this.closed) return Promise.reject(new ProcessStartError('worker_crashed', `pool ${this.key} was stopped`));
    if (options.signal?.aborted) return Promise.reject(cancelled());
    const process = this.idle.at(-1);
    if (process) return Promise.resolve(this.take(process));
    if (this.waiters.length >= this.limits.maxQueue) return Promise.reject(this.overloaded('full'));
    return new Promise((resolve, reject) => {
      const waiter: Waiter<P> = {
        resolve,
        reject,
        signal: options.signal,
        timer: setTimeout(() => this.dropWaiter(waiter, this.overloaded('slow')), this.limits.queueTimeoutMs),
        onAbort: () => this.dropWaiter(waiter, cancelled()),
      };
      options.signal?.addEventListener('abort', waiter.onAbort, { once: true });
      this.waiters.push(waiter);
      this.grow();
    });
  }

  /** Gives a process back after a use; `reset` readies it for the next (e.g. drops a run's state). */
  release(process: P, reset?: (process: P) => void): void {
    const held = this.uses.get(process);
    if (held === undefined || held === 0) return; // gone already: its exit handler dealt with it
    this.uses.set(process, held - 1);
    this.busyUses--;
    if (!process.usable) return; // its exit handler deals with it
    if (this.closed || process.retire) {
      // Others may still use it (capacity above 1): it takes no new uses and stops once they end.
      this.forgetIdle(process);
      if (held === 1) {
        process.kill(
          this.closed ? 'was stopped with its pool' : 'was replaced after using most of its CPU-time budget',
        );
      }
      return;
    }
    reset?.(process);
    this.hand(process);
  }

  /** Starts processes until the pool is full; rejects on the first that cannot start. */
  async warm(): Promise<void> {
    const starts: Promise<void>[] = [];
    while (this.all.size + this.startingCount < this.limits.size) {
      starts.push(this.startOne().then((p) => this.hand(p)));
    }
    await Promise.all(starts);
  }

  /**
   * Stops the pool. Idle processes stop now; leased ones when their use ends, or at once with
   * `now` (server shutdown: those uses end with an error).
   */
  close(now = false): Promise<void> {
    this.closed = true;
    for (const waiter of this.waiters.splice(0)) {
      this.settle(waiter);
      waiter.reject(new ProcessStartError('worker_crashed', `pool ${this.key} was stopped`));
    }
    const exits = [...this.all].map((p) => new Promise<void>((resolve) => p.onExit(resolve)));
    for (const process of this.all) {
      if (now || !this.uses.get(process)) process.kill('was stopped with its pool');
    }
    this.idle.length = 0;
    return Promise.all(exits).then(() => undefined);
  }

  /** Counts one more use of `process`; a process with no free slot left stops being idle. */
  private take(process: P): P {
    const held = (this.uses.get(process) ?? 0) + 1;
    this.uses.set(process, held);
    this.busyUses++;
    if (held >= this.capacity) this.forgetIdle(process);
    return process;
  }

  private forgetIdle(process: P): void {
    const at = this.idle.indexOf(process);
    if (at >= 0) this.idle.splice(at, 1);
  }

  /** A process has free slots (it started, or a use ended): waiting uses get them first. */
  private hand(process: P): void {
    if (!process.usable) return;
    if (this.closed) {
      if (!this.uses.get(process)) process.kill('was stopped with its pool');
      return;
    }
    while ((this.uses.get(process) ?? 0) < this.capacity) {
      const waiter = this.waiters.shift();
      if (!waiter) {
        if (!this.idle.includes(process)) this.idle.push(process);
        return;
      }
      this.settle(waiter);
      waiter.resolve(this.take(process));
    }
  }

  private dropWaiter(waiter: Waiter<P>, error: Error): void {
    const at = this.waiters.indexOf(waiter);
    if (at < 0) return;
    this.waiters.splice(at, 1);
    this.settle(waiter);
    waiter.reject(error);
  }

  private settle(waiter: Waiter<P>): void {
    clearTimeout(waiter.timer);
    waiter.signal?.removeEventListener('abort', waiter.onAbort);
  }

  /** Starts processes for waiting uses, up to the pool's size. */
  private grow(): void {
    while (
      this.all.size + this.startingCount < this.limits.size &&
      this.startingCount * this.capacity < this.waiters.length
    ) {
      this.startOne().then(
        (process) => this.hand(process),
        // The same code would fail the same way for every waiting use; later uses try again.
        (error: Error) => {
          for (const waiter of this.waiters.splice(0)) {
            this.settle(waiter);
            waiter.reject(error);
          }
        },
      );
    }
  }

  private async startOne(): Promise<P> {
    this.startingCount++;
    try {
      const process = await this.start();
      this.all.add(process);
      process.onExit(() => this.onExit(process));
      return process;
    } finally {
      this.startingCount--;
    }
  }

  private onExit(process: P): void {
    this.all.delete(process);
    this.forgetIdle(process);
    this.busyUses -= this.uses.get(process) ?? 0;
    this.uses.delete(process);
    if (this.closed) return;
    if (this.waiters.length > 0) {
      this.grow();
      return;
    }
    // Replace it in the background so the next use finds a warm process; one that died right
    // after starting is replaced only when a use needs one, so a broken node cannot spin.
    if (Date.now() - process.startedAt < QUICK_DEATH_MS) return;
    this.startOne().then(
      (replacement) => this.hand(replacement),
      (error: Error) => this.log(`plinth: could not replace a process of ${this.key}: ${error.message}`),
    );
  }

  private overloaded(why: 'full' | 'slow'): PlinthError {
    const { maxQueue, queueTimeoutMs } = this.limits;
    const detail =
      why === 'full'
        ? `${maxQueue} requests are already waiting for a worker (PLINTH_MAX_QUEUE)`
        : `no worker was free within ${queueTimeoutMs} ms (PLINTH_QUEUE_TIMEOUT_MS)`;
    return new PlinthError('overloaded', `${this.key} is busy: ${detail}; try again shortly`, {
      retryAfterSeconds: 1,
    });
  }
}

function cancelled(): PlinthError {
  return new PlinthError('client_closed', 'the caller went away before a worker was free');
}
