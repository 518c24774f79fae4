import {
  isCodeNode,
  followTable,
  planGraph,
  runGraph,
  type CodeNode,
  type ExecutionPlan,
  type GraphDocument,
  type NodeOutcome,
  type RunTrace,
} from '@plinth/shared';
import { PoolSet } from '../process/PoolSet.ts';
import { ProcessPool, ProcessStartError } from '../process/ProcessPool.ts';
import type { RuntimeOptions } from '../process/runtimeOptions.ts';
import { workerCommand, type SandboxSpec } from '../process/sandboxCommand.ts';
import type { RunRequest, Runtime, RuntimeStats } from '../types.ts';
import { NodeWorker } from './NodeWorker.ts';
import { WorkerNodeRunner, type ModelCaller } from './WorkerNodeRunner.ts';

/** What a worker group needs beyond the runtime's defaults: a virtualenv's mounts and environment. */
export type GroupSetup = (group: WorkerGroup) => Promise<Pick<SandboxSpec, 'mounts' | 'env'>>;

/** The code nodes of one graph that share a worker: same network access, same requirements. */
export interface WorkerGroup {
  key: string;
  network: boolean;
  requirements: readonly string[];
  nodes: readonly CodeNode[];
}

export interface GraphRuntimeDeps {
  /** Readies what a graph needs before it runs (its requirements' virtualenvs); throws a PlinthError naming the node. */
  prepareGraph?: (graph: GraphDocument) => Promise<void>;
  /** Prepares a group's sandbox (its requirements' virtualenv); none by default. */
  setupGroup?: GroupSetup;
  /** Answers model nodes; `model_unavailable` until the model layer is wired in. */
  callModel?: ModelCaller;
}

/** One immutable graph's pool of one worker group. */
type GroupPool = ProcessPool<NodeWorker>;

/**
 * The graph-node protocol layer: pools of sandboxed node workers, one per published version (or
 * draft revision) and worker group, kept warm and LRU-bounded, and the per-run node runner that
 * `runGraph` drives.
 */
export function createGraphRuntime(options: RuntimeOptions, deps: GraphRuntimeDeps = {}): Runtime {
  let spawned = 0;
  const pools = new PoolSet<GroupPool>(options.maxPools);
  const callModel = deps.callModel ?? modelUnavailable;

  function groupPools(poolKey: string, graph: GraphDocument): Map<string, GroupPool> {
    const plan = planGraph(graph);
    const result = new Map<string, GroupPool>();
    for (const group of workerGroups(plan)) {
      const key = `${poolKey}|${group.key}`;
      result.set(
        group.key,
        pools.get(
          key,
          () => new ProcessPool(key, poolLimits(options), () => startWorker(key, plan, group), options.log),
        ),
      );
    }
    return result;
  }

  async function startWorker(label: string, plan: ExecutionPlan, group: WorkerGroup): Promise<NodeWorker> {
    spawned++;
    const setup = (await deps.setupGroup?.(group)) ?? {};
    return NodeWorker.start({
      process: {
        command: workerCommand(options, { network: group.network, ...setup, group: label }),
        maxFrameBytes: options.maxOutputBytes,
        label,
        options,
      },
      nodes: group.nodes.map((n) => ({ id: n.id, code: n.code })),
      follow: followTable(plan, group.key),
      loadTimeoutMs: options.workerStartMs + group.nodes.reduce((sum, n) => sum + n.timeoutMs, 0),
    });
  }

  return {
    sandbox: options.sandbox,

    async run(request: RunRequest): Promise<RunTrace> {
      const plan = planGraph(request.graph);
      const runner = new WorkerNodeRunner(
        plan,
        groupPools(request.poolKey, request.graph),
        request.secrets ?? {},
        options.memoryLimitMb,
        callModel,
        request.signal ? { signal: request.signal } : {},
      );
      await runner.acquire();
      try {
        return await runGraph(request.graph, request.input, runner, {
          version: request.version,
          runAhead: request.runAhead ?? false,
          ...(request.runId ? { runId: request.runId } : {}),
        });
      } finally {
        runner.release();
      }
    },

    async prepare(graph: GraphDocument): Promise<void> {
      await deps.prepareGraph?.(graph);
    },

    async warm(poolKey: string, graph: GraphDocument): Promise<void> {
      try {
        await Promise.all([...groupPools(poolKey, graph).values()].map((pool) => pool.warm()));
      } catch (error) {
        throw error instanceof ProcessStartError ? new Error(`could not warm ${poolKey}: ${error.message}`) : error;
      }
    },

    needsStart(poolKey: string, graph: GraphDocument): boolean {
      return workerGroups(planGraph(graph)).some((group) => {
        const pool = pools.peek(`${poolKey}|${group.key}`);
        return pool === undefined || pool.size + pool.starting === 0;
      });
    },

    keepWarm(matches: (poolKey: string) => boolean, kept: boolean): void {
      pools.keep((key) => matches(key.slice(0, key.indexOf('|'))), kept);
    },

    retire(matches: (poolKey: string) => boolean): Promise<void> {
      return pools.retire((key) => matches(key.slice(0, key.indexOf('|'))));
    },

    close(): Promise<void> {
      return pools.closeAll();
    },

    stats(): RuntimeStats {
      let workers = 0;
      let busyWorkers = 0;
      let queued = 0;
      for (const pool of pools.values()) {
        workers += pool.size;
        busyWorkers += pool.busy;
        queued += pool.queued;
      }
      return { pools: pools.count, workers, busyWorkers, queued, spawned };
    },
  };
}

function poolLimits(options: RuntimeOptions) {
  return { size: options.workersPerPool, maxQueue: options.maxQueue, queueTimeoutMs: options.queueTimeoutMs };
}

/** The graph's code nodes by worker group (see `workerGroupOf` in the shared plan). */
export function workerGroups(plan: ExecutionPlan): WorkerGroup[] {
  const groups = new Map<string, WorkerGroup & { nodes: CodeNode[] }>();
  for (const p of plan.order) {
    if (!isCodeNode(p.node) || p.group === undefined) continue;
    let group = groups.get(p.group);
    if (!group) {
      group = { key: p.group, network: p.node.network, requirements: p.node.requirements, nodes: [] };
      groups.set(p.group, group);
    }
    group.nodes.push(p.node);
  }
  return [...groups.values()];
}

function modelUnavailable(node: { model: string }): Promise<NodeOutcome> {
  return Promise.resolve({
    ok: false,
    logs: [],
    error: { code: 'model_unavailable', message: `model '${node.model}' is not deployed on this server` },
  });
}
