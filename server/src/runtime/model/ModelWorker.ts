import type { Json, LogEntry } from '@plinth/shared';
import { encodeFrame } from '../process/frames.ts';
import type { PooledProcess } from '../process/ProcessPool.ts';
import { SandboxProcess, type ProcessSettings } from '../process/SandboxProcess.ts';
import {
  MODEL_PROTOCOL_VERSION,
  type ModelLoadFrame,
  type ModelLoadReply,
  type ModelWireError,
  type PredictFrame,
  type PredictReply,
} from '../protocol.ts';

/** What a prediction ended with; `code` says which kind of failure it was. */
export type PredictOutcome =
  | { ok: true; output: Json }
  | {
      ok: false;
      code: 'model_failed' | 'invalid_output' | 'model_timeout' | 'worker_crashed';
      message: string;
      type?: string;
      traceback?: string;
    };

/** Why a worker could not load its model: what load() printed and raised. */
export class ModelLoadError extends Error {
  constructor(
    message: string,
    readonly logs: LogEntry[],
    readonly traceback?: string,
  ) {
    super(message);
    this.name = 'ModelLoadError';
  }
}

export interface ModelWorkerSettings {
  process: ProcessSettings;
  load: Omit<ModelLoadFrame, 'op' | 'protocol'>;
  /** Budget for the interpreter to start, import model.py and run `load()`. */
  loadTimeoutMs: number;
  /** Names the model in messages: `model 'iris' v2`. */
  title: string;
}

interface Pending {
  resolve: (outcome: PredictOutcome) => void;
  timer: NodeJS.Timeout;
}

/**
 * The model protocol over one sandboxed process: load the package once, then take several
 * predictions at once (the pool leases it up to `predict_concurrency` times), each with its own
 * deadline; one that passes it stops the whole worker, and the pool replaces it.
 */
export class ModelWorker implements PooledProcess {
  private readonly process: SandboxProcess;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  retire = false;
  /** What `load()` printed, and how long it took. */
  loadLogs: LogEntry[] = [];
  loadMs = 0;

  private constructor(private readonly settings: ModelWorkerSettings) {
    this.process = new SandboxProcess(settings.process);
    this.process.onOversize((bytes) =>
      this.failAll(
        'invalid_output',
        `${settings.title} answered with ${bytes} bytes, more than PLINTH_MAX_OUTPUT_BYTES`,
      ),
    );
    this.process.onExit((how) => this.failAll('worker_crashed', `the worker of ${settings.title} ${how}`));
  }

  /** Starts a worker and loads the model; rejects with a ModelLoadError. */
  static start(settings: ModelWorkerSettings): Promise<ModelWorker> {
    const worker = new ModelWorker(settings);
    const { process } = worker;
    return new Promise((resolve, reject) => {
      let settled = false;
      const fail = (error: ModelLoadError) => {
        if (settled) return;
        settled = true;
        process.kill('was stopped: its model did not load');
        reject(error);
      };
      process.setDeadline(settings.loadTimeoutMs, () =>
        fail(
          new ModelLoadError(
            `${settings.title} did not finish loading within ${settings.loadTimeoutMs} ms (PLINTH_MODEL_LOAD_TIMEOUT_MS)`,
            [],
          ),
        ),
      );
      process.onExit((how) => fail(new ModelLoadError(`the worker of ${settings.title} ${how} while loading`, [])));
      process.onFrame((frame) => {
        process.clearDeadline();
        const reply = frame as ModelLoadReply;
        worker.loadLogs = reply.logs ?? [];
        worker.loadMs = reply.load_ms ?? 0;
        if (reply.ok && reply.protocol === MODEL_PROTOCOL_VERSION) {
          settled = true;
          process.onFrame((m) => worker.onReply(m as PredictReply));
          resolve(worker);
          return;
        }
        const said = reply.error ?? { code: 'protocol_mismatch', message: `it speaks protocol ${reply.protocol}` };
        const message = reply.error
          ? `load() of ${settings.title} failed: ${said.message}`
          : `the model server does not speak protocol ${MODEL_PROTOCOL_VERSION} (${said.message})`;
        fail(new ModelLoadError(message, worker.loadLogs, said.traceback));
      });
      const load: ModelLoadFrame = { op: 'load', protocol: MODEL_PROTOCOL_VERSION, ...settings.load };
      process.send(encodeFrame(load));
    });
  }

  get usable(): boolean {
    return this.process.usable;
  }

  get startedAt(): number {
    return this.process.startedAt;
  }

  get pid(): number | undefined {
    return this.process.pid;
  }

  onExit(listener: () => void): void {
    this.process.onExit(() => listener());
  }

  kill(reason: string): void {
    this.process.kill(reason);
  }

  predict(input: Json, timeoutMs: number): Promise<PredictOutcome> {
    return new Promise((resolve) => {
      if (!this.process.alive) {
        resolve({ ok: false, code: 'worker_crashed', message: `the worker of ${this.settings.title} had stopped` });
        return;
      }
      const id = this.nextId++;
      const timer = setTimeout(() => this.onTimeout(id, timeoutMs), timeoutMs);
      this.pending.set(id, { resolve, timer });
      const frame: PredictFrame = { op: 'predict', id, input };
      this.process.send(encodeFrame(frame));
    });
  }

  private onReply(reply: PredictReply): void {
    const pending = this.pending.get(reply.id);
    if (!pending) return; // a late answer to a prediction we gave up on
    this.pending.delete(reply.id);
    clearTimeout(pending.timer);
    if (reply.retire) this.retire = true;
    pending.resolve(reply.ok ? { ok: true, output: reply.output ?? null } : this.failure(reply.error));
  }

  private failure(error: ModelWireError | undefined): PredictOutcome {
    const code = error?.code === 'invalid_output' ? 'invalid_output' : 'model_failed';
    return {
      ok: false,
      code,
      message: `${this.settings.title}: ${error?.message ?? 'predict failed'}`,
      ...(error?.type ? { type: error.type } : {}),
      ...(error?.traceback ? { traceback: error.traceback } : {}),
    };
  }

  private onTimeout(id: number, timeoutMs: number): void {
    const pending = this.pending.get(id);
    if (!pending) return;
    this.pending.delete(id);
    pending.resolve({
      ok: false,
      code: 'model_timeout',
      message: `${this.settings.title} did not answer within ${timeoutMs} ms; its worker was stopped and is being replaced`,
    });
    // A prediction stuck in a thread cannot be stopped alone: the whole worker goes.
    this.process.kill(`was stopped because a prediction took longer than ${timeoutMs} ms`);
  }

  private failAll(code: 'worker_crashed' | 'invalid_output', message: string): void {
    for (const [id, pending] of this.pending) {
      this.pending.delete(id);
      clearTimeout(pending.timer);
      pending.resolve({ ok: false, code, message });
    }
  }
}
