import {
  DEFAULT_NODE_TIMEOUT_MS,
  runGraph,
  type CodeNode,
  type GraphDocument,
  type Json,
  type ModelNode,
  type NodeContext,
  type NodeOutcome,
  type NodeRunner,
  type RunTrace,
  type CallOptions,
  type ExecutionPlan,
  planGraph,
} from '@plinth/shared';
import type { RuntimeOptions } from './process/runtimeOptions.ts';
import type { RunRequest, Runtime } from './types.ts';
import { WorkerStartError, type Worker } from './Worker.ts';
import { WorkerPool } from './WorkerPool.ts';

/** Counters for /metrics and for tests (a warm run must spawn nothing). */
export interface RuntimeStats {
  pools: number;
  workers: number;
  busyWorkers: number;
  /** Worker processes started since the runtime was created. */
  spawned: number;
}

export interface ServerRuntime extends Runtime {
  stats(): RuntimeStats;
}

/** The server's Python runtime: LRU-bounded pools of long-lived sandboxed workers. */
export function createRuntime(options: RuntimeOptions): ServerRuntime {
  const pools = new Map<string, WorkerPool>(); // insertion order = least recently used first
  let spawned = 0;
  const onSpawn = () => {
    spawned++;
  };

  function poolFor(key: string, graph: GraphDocument): WorkerPool {
    let pool = pools.get(key);
    if (pool) {
      pools.delete(key);
      pools.set(key, pool);
      return pool;
    }
    pool = new WorkerPool(key, graph, options, onSpawn);
    pools.set(key, pool);
    evictBeyond(options.maxPools);
    return pool;
  }

  function evictBeyond(limit: number) {
    while (pools.size > limit) {
      // Prefer the least recently used pool that no run is using.
      const victim = [...pools.values()].find((p) => p.busy === 0) ?? pools.values().next().value!;
      pools.delete(victim.key);
      void victim.close();
    }
  }

  return {
    sandbox: options.sandbox,

    async run(request: RunRequest): Promise<RunTrace> {
      // Published versions run ahead in the worker; a draft test keeps one round trip per node,
      // so the IDE's per-node timings are exact.
      const pool = poolFor(request.poolKey, request.graph);
      const runner = new WorkerNodeRunner(pool, request.secrets ?? {}, options, planGraph(request.graph));
      try {
        return await runGraph(request.graph, request.input, runner, {
          version: request.version,
          runAhead: request.version !== null,
        });
      } finally {
        runner.release();
      }
    },

    async warm(poolKey: string, graph: GraphDocument): Promise<void> {
      try {
        await poolFor(poolKey, graph).warm();
      } catch (error) {
        throw error instanceof WorkerStartError ? new Error(`could not warm ${poolKey}: ${error.message}`) : error;
      }
    },

    async retire(poolKey: string): Promise<void> {
      const pool = pools.get(poolKey);
      if (!pool) return;
      pools.delete(poolKey);
      await pool.close();
    },

    async close(): Promise<void> {
      const all = [...pools.values()];
      pools.clear();
      await Promise.all(all.map((p) => p.close(true)));
    },

    stats(): RuntimeStats {
      let workers = 0;
      let busyWorkers = 0;
      for (const pool of pools.values()) {
        workers += pool.size;
        busyWorkers += pool.busy;
      }
      return { pools: pools.size, workers, busyWorkers, spawned };
    },
  };
}

/** Runs one graph run's code nodes on one leased worker, so ctx.state lives in one interpreter. */
class WorkerNodeRunner implements NodeRunner {
  private worker: Promise<Worker> | null = null;
  private runId: string | undefined;
  private ctxSent = false;

  constructor(
    private readonly pool: WorkerPool,
    private readonly secrets: Record<string, string>,
    private readonly options: RuntimeOptions,
    private readonly plan: ExecutionPlan,
  ) {}

  async runCode(node: CodeNode, data: Json, ctx: NodeContext, call: CallOptions = {}): Promise<NodeOutcome> {
    this.worker ??= this.pool.lease();
    let worker: Worker;
    try {
      worker = await this.worker;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const code = error instanceof WorkerStartError ? error.code : 'worker_crashed';
      return { ok: false, logs: [], error: { code, message: `node '${node.id}' could not run: ${message}` } };
    }
    this.runId = ctx.runId;
    // The run's context (secrets included) travels once; the worker keeps it until `end`.
    const wireCtx = this.ctxSent
      ? undefined
      : { run_id: ctx.runId, graph: ctx.graph, version: ctx.version, secrets: this.secrets };
    this.ctxSent = true;
    const outcome = await (call.continued
      ? worker.takeAhead(node.id)
      : worker.call(
          node.id,
          data,
          wireCtx,
          ctx.runId,
          node.timeoutMs ?? DEFAULT_NODE_TIMEOUT_MS,
          call.runAhead ? this.plan : null,
        ));
    if (!outcome.ok && outcome.error.type === 'MemoryError') {
      outcome.error.message += ` (the worker's memory limit is ${this.options.memoryLimitMb} MB; PLINTH_WORKER_MEMORY_MB changes it)`;
    }
    return outcome;
  }

  runModel(node: ModelNode): Promise<NodeOutcome> {
    return Promise.resolve({
      ok: false,
      logs: [],
      error: { code: 'model_unavailable', message: `model '${node.model}' is not deployed on this server` },
    });
  }

  /** Hands the worker back (if one was leased) once the run is over. */
  release(): void {
    const leased = this.worker;
    if (!leased) return;
    leased.then(
      (worker) => this.pool.release(worker, this.runId),
      () => {},
    );
  }
}
