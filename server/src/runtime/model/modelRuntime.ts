import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Json, LogEntry } from '@plinth/shared';
import { PlinthError } from '@plinth/shared';
import { encodeFrame } from '../process/frames.ts';
import { ProcessPool, ProcessStartError, type LeaseOptions } from '../process/ProcessPool.ts';
import type { RuntimeOptions } from '../process/runtimeOptions.ts';
import { SandboxProcess } from '../process/SandboxProcess.ts';
import { workerCommand, type SandboxSpec } from '../process/sandboxCommand.ts';
import type { CheckFrame, CheckReply } from '../protocol.ts';
import { ModelLoadError, ModelWorker, type PredictOutcome } from './ModelWorker.ts';

export const DEFAULT_MODEL_SERVER_PATH = fileURLToPath(
  new URL('../../../../sandbox-images/model_server/plinth_model_server.py', import.meta.url),
);

/** Where a model package is mounted inside its sandbox. */
export const PACKAGE_MOUNT = '/model';

/** The model layer's settings, on top of the runtime's. Each has an env setting (see modelOptionsFromEnv). */
export interface ModelRuntimeOptions {
  /** Workers per model version (`PLINTH_MODEL_WORKERS`, 1). */
  workersPerModel: number;
  /** Time for a worker to import model.py and run load() (`PLINTH_MODEL_LOAD_TIMEOUT_MS`, 300000). */
  loadTimeoutMs: number;
  /** The model server file (`PLINTH_MODEL_SERVER_PATH`). */
  serverPath: string;
}

/** Everything one model version's workers are started with. */
export interface ModelSpec {
  /** `name@vN`, the pool's key. */
  key: string;
  /** `model 'iris' v2`, for messages. */
  title: string;
  /** The unpacked package on the host, mounted read-only at /model. */
  packageDir: string;
  config: Record<string, unknown>;
  secrets: Record<string, string | null>;
  concurrency: number;
  memoryLimitMb: number;
  /** The package's environment_variables, the requirements' virtualenv, CUDA_VISIBLE_DEVICES. */
  sandbox: Pick<SandboxSpec, 'env' | 'mounts' | 'devices'>;
}

export interface LoadResult {
  logs: LogEntry[];
  loadMs: number;
}

export interface ModelRuntimeStats {
  models: number;
  workers: number;
  busy: number;
  queued: number;
}

/**
 * Pools of sandboxed model workers, one per model version, started on deploy and kept until
 * retired (the model service keeps live and pinned versions warm). Also runs the package check.
 */
export class ModelRuntime {
  private readonly pools = new Map<string, ProcessPool<ModelWorker>>();
  private readonly source: string;
  private closed = false;

  constructor(
    private readonly options: RuntimeOptions,
    private readonly modelOptions: ModelRuntimeOptions,
  ) {
    this.source = readFileSync(modelOptions.serverPath, 'utf8');
  }

  /** Starts a version's workers and loads the model in each; rejects with a ModelLoadError. */
  async deploy(spec: ModelSpec): Promise<LoadResult> {
    if (this.closed) throw new ModelLoadError(`the server is stopping; ${spec.title} was not started`, []);
    await this.retire(spec.key);
    let first: LoadResult | null = null;
    const pool = new ProcessPool<ModelWorker>(
      spec.key,
      {
        size: this.modelOptions.workersPerModel,
        capacity: spec.concurrency,
        maxQueue: this.options.maxQueue,
        queueTimeoutMs: this.options.queueTimeoutMs,
      },
      async () => {
        const worker = await this.startWorker(spec);
        first ??= { logs: worker.loadLogs, loadMs: worker.loadMs };
        return worker;
      },
      this.options.log,
    );
    this.pools.set(spec.key, pool);
    try {
      await pool.warm();
    } catch (error) {
      this.pools.delete(spec.key);
      await pool.close(true);
      throw error instanceof ModelLoadError ? error : new ModelLoadError((error as Error).message, []);
    }
    return first ?? { logs: [], loadMs: 0 };
  }

  /** Whether a version's workers are running (or starting). */
  has(key: string): boolean {
    return this.pools.has(key);
  }

  async predict(key: string, input: Json, timeoutMs: number, lease: LeaseOptions = {}): Promise<PredictOutcome> {
    const pool = this.pools.get(key);
    if (!pool) throw new PlinthError('model_unavailable', `no workers are running for ${key}`);
    let worker: ModelWorker;
    try {
      worker = await pool.lease(lease);
    } catch (error) {
      if (error instanceof ProcessStartError || error instanceof ModelLoadError) {
        return { ok: false, code: 'worker_crashed', message: error.message };
      }
      throw error;
    }
    try {
      return await worker.predict(input, timeoutMs);
    } finally {
      pool.release(worker);
    }
  }

  async retire(key: string): Promise<void> {
    const pool = this.pools.get(key);
    if (!pool) return;
    this.pools.delete(key);
    await pool.close();
  }

  keys(): string[] {
    return [...this.pools.keys()];
  }

  async close(): Promise<void> {
    this.closed = true;
    const all = [...this.pools.values()];
    this.pools.clear();
    await Promise.all(all.map((p) => p.close(true)));
  }

  stats(): ModelRuntimeStats {
    let workers = 0;
    let busy = 0;
    let queued = 0;
    for (const pool of this.pools.values()) {
      workers += pool.size;
      busy += pool.busy;
      queued += pool.queued;
    }
    return { models: this.pools.size, workers, busy, queued };
  }

  /** Checks a package in a sandboxed worker: model.py by `ast`, requirements against this Python. */
  check(packageDir: string, frame: Omit<CheckFrame, 'op' | 'package'>): Promise<CheckReply> {
    const { spec, path, done } = this.packageSandbox(packageDir);
    let process: SandboxProcess;
    try {
      process = new SandboxProcess({
        command: workerCommand(this.options, {
          network: false,
          ...spec,
          argv: [this.options.python, '-B', '-c', this.source, 'check'],
        }),
        maxFrameBytes: 1024 * 1024,
        label: 'package check',
        options: this.options,
      });
    } finally {
      done();
    }
    return new Promise((resolve, reject) => {
      process.setDeadline(this.options.workerStartMs, () => {
        process.kill('was stopped: the package check took too long');
        reject(
          new PlinthError(
            'sandbox_unavailable',
            `the package check did not finish within ${this.options.workerStartMs} ms (PLINTH_WORKER_START_MS)`,
          ),
        );
      });
      process.onFrame((reply) => {
        process.clearDeadline();
        resolve(reply as CheckReply);
        process.kill('was done');
      });
      process.onExit((how) =>
        reject(new PlinthError('sandbox_unavailable', `the sandboxed package check ${how} before answering`)),
      );
      const check: CheckFrame = { op: 'check', package: path, ...frame };
      process.send(encodeFrame(check));
    });
  }

  private startWorker(spec: ModelSpec): Promise<ModelWorker> {
    const pkg = this.packageSandbox(spec.packageDir);
    try {
      return ModelWorker.start({
        process: {
          command: workerCommand(this.options, {
            network: false,
            ...pkg.spec,
            mounts: [...(pkg.spec.mounts ?? []), ...(spec.sandbox.mounts ?? [])],
            env: { ...spec.sandbox.env },
            ...(spec.sandbox.devices ? { devices: spec.sandbox.devices } : {}),
            memoryLimitMb: spec.memoryLimitMb,
            argv: [this.options.python, '-B', '-c', this.source],
          }),
          maxFrameBytes: this.options.maxOutputBytes,
          label: spec.key,
          options: this.options,
        },
        load: { package: pkg.path, config: spec.config, secrets: spec.secrets, concurrency: spec.concurrency },
        loadTimeoutMs: this.modelOptions.loadTimeoutMs,
        title: spec.title,
      });
    } finally {
      pkg.done(); // the worker was spawned synchronously and holds its own copy of the fd
    }
  }

  /**
   * How a worker sees its package at /model: read-only bound by path; or, when the server runs as
   * root and workers as nobody (who may not traverse a 0700 data dir or home), through a directory
   * fd the server opened, where the files' owner (root) and modes keep it read-only. Unsandboxed,
   * at its own path. `done` closes the server's fd once the process is spawned.
   */
  private packageSandbox(dir: string): {
    spec: Pick<SandboxSpec, 'dirs' | 'mounts'>;
    path: string;
    done: () => void;
  } {
    if (this.options.sandbox === 'none') return { spec: {}, path: dir, done: () => {} };
    if (process.getuid?.() !== 0) {
      return { spec: { mounts: [{ source: dir, target: PACKAGE_MOUNT }] }, path: PACKAGE_MOUNT, done: () => {} };
    }
    return { spec: { dirs: [{ source: dir, target: PACKAGE_MOUNT }] }, path: PACKAGE_MOUNT, done: () => {} };
  }
}
