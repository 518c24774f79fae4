import type { GraphDocument, Json } from './graph.ts';
import type { CodeNode, ModelNode } from './nodeTypes/index.ts';
import type { CallOptions, NodeContext, NodeOutcome, NodeRunner } from './nodeRunner.ts';
import type { NodeError, NodeTrace, RunTrace } from './traceSchema.ts';
import { nextAhead, planGraph, type ExecutionPlan, type PlannedNode } from './planGraph.ts';

export interface RunOptions {
  runId?: string;
  /** Published version being run, or null for a draft (becomes `ctx.version`). */
  version?: number | null;
  /**
   * Let the runner go on to a node's planned successor without handing back, so a chain of nodes
   * costs one round trip (see `ExecutionPlan`). The runner must support `CallOptions.runAhead`;
   * per-node durations of nodes run ahead then include waiting for the node before.
   */
  runAhead?: boolean;
  /** Called when a node starts, so a UI can show it as running. */
  onNodeStart?: (nodeId: string) => void;
  /** Called with each node's final trace as soon as it is known. */
  onNodeUpdate?: (nodeId: string, trace: NodeTrace) => void;
}

/**
 * The order in which `runGraph` visits the nodes of a validated graph.
 */
export function executionOrder(graph: GraphDocument): readonly PlannedNode[] {
  return planGraph(graph).order;
}

const SKIPPED = Symbol('skipped');

/**
 * Runs a validated graph on `input`, following DESIGN.md's execution semantics:
 * nodes in the plan's order, skip propagation, branch routing, if/else joins, a stop at the
 * first node error. Never throws for a node failure: that is in the returned trace.
 */
export async function runGraph(
  graph: GraphDocument,
  input: Json,
  runner: NodeRunner,
  options: RunOptions = {},
): Promise<RunTrace> {
  const started = performance.now();
  const plan = planGraph(graph);
  const ctx: NodeContext = {
    runId: options.runId ?? crypto.randomUUID(),
    graph: graph.name,
    version: options.version ?? null,
  };
  const nodes: Record<string, NodeTrace> = {};
  const report = (id: string, trace: NodeTrace) => {
    nodes[id] = trace;
    options.onNodeUpdate?.(id, trace);
  };
  const outputs = new Map<string, Json>();
  const chosen = new Map<string, string>();
  let response: Json | null = null;
  /** The node the runner is running ahead, if any. */
  let ahead: string | null = null;

  for (const p of plan.order) {
    const data = p.type.endpoint === 'request' ? input : gather(p, outputs, chosen);
    if (data === SKIPPED) {
      report(p.node.id, { status: 'skipped', logs: [], durationMs: 0 });
      continue;
    }
    options.onNodeStart?.(p.node.id);
    const t0 = performance.now();
    const call: CallOptions = {
      ...(options.runAhead && p.follow ? { runAhead: true } : {}),
      ...(ahead !== null ? { continued: true } : {}),
    };
    const outcome: NodeOutcome =
      ahead !== null && ahead !== p.node.id ? notAhead(p.node.id, ahead) : await execute(p, data, runner, ctx, call);
    const durationMs = performance.now() - t0;
    if (!outcome.ok) {
      report(p.node.id, { status: 'error', input: data, logs: outcome.logs, durationMs, error: outcome.error });
      for (const rest of plan.order.slice(p.index + 1))
        report(rest.node.id, { status: 'not_run', logs: [], durationMs: 0 });
      return finish(ctx, nodes, started, null, { nodeId: p.node.id, ...outcome.error });
    }
    ahead = call.runAhead ? (nextAhead(plan, p.node.id, data, outcome.output)?.nodeId ?? null) : null;
    const trace: NodeTrace = { status: 'ok', input: data, output: outcome.output, logs: outcome.logs, durationMs };
    if (p.type.routes) {
      // A router passes its own input on, unchanged, along the chosen edges.
      chosen.set(p.node.id, outcome.output as string);
      trace.branch = outcome.output as string;
      trace.output = data;
    }
    outputs.set(p.node.id, trace.output!);
    if (p.type.endpoint === 'response') response = data;
    report(p.node.id, trace);
  }
  return finish(ctx, nodes, started, response, null);
}

function finish(
  ctx: NodeContext,
  nodes: Record<string, NodeTrace>,
  started: number,
  output: Json | null,
  error: RunTrace['error'],
): RunTrace {
  return { runId: ctx.runId, output, error, nodes, durationMs: performance.now() - started };
}

/** The node's `data`, by its join kind; SKIPPED when no upstream delivered. */
function gather(p: PlannedNode, outputs: Map<string, Json>, chosen: Map<string, string>): Json | typeof SKIPPED {
  const delivered: [string, Json][] = [];
  for (const { id, labels } of p.upstreams) {
    if (!outputs.has(id)) continue;
    if (chosen.has(id) && !labels.includes(chosen.get(id))) continue;
    delivered.push([id, outputs.get(id)!]);
  }
  if (delivered.length === 0) return SKIPPED;
  // `single` and `alternatives` (at most one can deliver, by the drawing) both hand over the value.
  if (p.join !== 'keyed') return delivered[0]![1];
  return Object.fromEntries(delivered);
}

async function execute(
  p: PlannedNode,
  data: Json,
  runner: NodeRunner,
  ctx: NodeContext,
  call: CallOptions,
): Promise<NodeOutcome> {
  try {
    if (p.type.execution === 'pass') return { ok: true, output: data, logs: [] };
    if (p.type.execution === 'model') return await runner.runModel(p.node as ModelNode, data, ctx);
    const outcome = await runner.runCode(p.node as CodeNode, data, ctx, call);
    const routes = p.type.routes?.(p.node);
    if (outcome.ok && routes && !(typeof outcome.output === 'string' && routes.includes(outcome.output))) {
      return { ok: false, logs: outcome.logs, error: invalidRoute(p, routes, outcome.output) };
    }
    return outcome;
  } catch (err) {
    // A runner reports node failures as outcomes; a throw means the runner itself broke.
    const message = err instanceof Error ? err.message : String(err);
    return {
      ok: false,
      logs: [],
      error: { code: 'worker_crashed', message: `node '${p.node.id}' could not be run: ${message}` },
    };
  }
}

function invalidRoute(p: PlannedNode, routes: readonly string[], got: Json): NodeError {
  const allowed = routes.map((b) => JSON.stringify(b)).join(', ');
  return {
    code: 'invalid_branch',
    message: `${p.node.type} node '${p.node.id}' returned ${JSON.stringify(got)}, which is not one of its branches: ${allowed}`,
  };
}

/** The plan promises the next node run is the one run ahead; anything else is a Plinth bug, said as such. */
function notAhead(nodeId: string, ahead: string): NodeOutcome {
  return {
    ok: false,
    logs: [],
    error: {
      code: 'worker_crashed',
      message: `internal: the runner ran node '${ahead}' ahead, but node '${nodeId}' came next (a Plinth bug; please report it)`,
    },
  };
}

export type { ExecutionPlan };
