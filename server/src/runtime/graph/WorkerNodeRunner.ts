import type {
  CallOptions,
  CodeNode,
  ExecutionPlan,
  Json,
  ModelNode,
  NodeContext,
  NodeOutcome,
  NodeRunner,
} from '@plinth/shared';
import { ProcessStartError, type LeaseOptions, type ProcessPool } from '../process/ProcessPool.ts';
import type { NodeWorker, WorkerOutcome } from './NodeWorker.ts';

/** Runs a model node; the model layer answers it (or says it is unavailable). */
export type ModelCaller = (node: ModelNode, data: Json, ctx: NodeContext) => Promise<NodeOutcome>;

/**
 * One run's node runner on the server. It leases one worker per worker group the graph uses, so
 * `ctx.state` lives in one interpreter; when a graph's nodes run in several groups (network access,
 * own requirements), `ctx.state` travels with the calls as JSON.
 */
export class WorkerNodeRunner implements NodeRunner {
  private workers = new Map<string, NodeWorker>();
  /** Why the workers could not start, reported as the first code node's error. */
  private startError: ProcessStartError | null = null;
  private readonly ctxSent = new Set<NodeWorker>();
  private runId: string | undefined;
  /** Several groups: the latest `ctx.state`, and the worker that holds it. */
  private readonly mixed: boolean;
  private state: Json | undefined;
  private stateHolder: NodeWorker | null = null;
  private abandoned = false;

  constructor(
    private readonly plan: ExecutionPlan,
    private readonly pools: ReadonlyMap<string, ProcessPool<NodeWorker>>,
    private readonly secrets: Readonly<Record<string, string>>,
    private readonly memoryLimitMb: number,
    private readonly callModel: ModelCaller,
    private readonly lease: LeaseOptions = {},
  ) {
    this.mixed = pools.size > 1;
  }

  async runCode(node: CodeNode, data: Json, ctx: NodeContext, call: CallOptions = {}): Promise<NodeOutcome> {
    const worker = this.workers.get(this.plan.byId.get(node.id)!.group!);
    if (!worker) {
      const error = this.startError ?? new ProcessStartError('worker_crashed', 'no worker was leased (a Plinth bug)');
      return {
        ok: false,
        logs: [],
        error: { code: error.code, message: `node '${node.id}' could not run: ${error.message}` },
      };
    }
    this.runId = ctx.runId;
    const outcome: WorkerOutcome = await (call.continued
      ? worker.takeAhead(node.id)
      : worker.call({
          nodeId: node.id,
          data,
          runId: ctx.runId,
          timeoutMs: node.timeoutMs,
          // The run's context (secrets included) travels once per worker; it keeps it until `end`.
          ...(this.ctxSent.has(worker) ? {} : { ctx: this.wireContext(ctx) }),
          plan: call.runAhead ? this.plan : null,
          ...(this.mixed && this.stateHolder !== null && this.stateHolder !== worker ? { state: this.state! } : {}),
          wantState: this.mixed,
        }));
    this.ctxSent.add(worker);
    if (outcome.state !== undefined) {
      this.state = outcome.state;
      this.stateHolder = worker;
    }
    const { state: _state, ...result } = outcome;
    if (this.abandoned) {
      return {
        ok: false,
        logs: result.logs,
        error: { code: 'client_closed', message: `the caller went away while node '${node.id}' ran` },
      };
    }
    if (!result.ok && result.error.type === 'MemoryError') {
      result.error.message += ` (the worker's memory limit is ${this.memoryLimitMb} MB; PLINTH_WORKER_MEMORY_MB changes it)`;
    }
    return result;
  }

  runModel(node: ModelNode, data: Json, ctx: NodeContext): Promise<NodeOutcome> {
    return this.callModel(node, data, ctx);
  }

  /**
   * Leases every group's worker before the run starts, in one fixed order: two runs that need the
   * same groups never hold one each and wait for the other. A full queue or a caller that went away
   * throws (the request's own error); a worker that cannot start becomes the first code node's error.
   */
  async acquire(): Promise<void> {
    // A caller that goes away mid-run does not keep its workers busy: they are stopped (and replaced).
    this.lease.signal?.addEventListener('abort', () => this.abandon(), { once: true });
    for (const group of [...this.pools.keys()].sort()) {
      try {
        this.workers.set(group, await this.pools.get(group)!.lease(this.lease));
      } catch (error) {
        if (!(error instanceof ProcessStartError)) {
          this.release();
          throw error;
        }
        this.startError = error;
        return;
      }
    }
  }

  private abandon(): void {
    this.abandoned = true;
    for (const worker of this.workers.values()) worker.kill('was stopped because the caller of its run went away');
  }

  /** Hands the workers back once the run is over; their ctx.state for the run is dropped. */
  release(): void {
    const runId = this.runId;
    for (const [group, worker] of this.workers) {
      this.pools.get(group)!.release(worker, (w) => {
        if (runId !== undefined) w.end(runId);
      });
    }
    this.workers.clear();
  }

  private wireContext(ctx: NodeContext) {
    return { run_id: ctx.runId, graph: ctx.graph, version: ctx.version, secrets: this.secrets };
  }
}
