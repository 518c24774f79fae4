import type { GraphDocument, GraphEdge, GraphNode, Json } from './graphSchema.ts';
import type { NodeContext, NodeOutcome, NodeRunner } from './nodeRunner.ts';
import type { NodeError, NodeTrace, RunTrace } from './traceSchema.ts';
import { PlinthError } from './errors.ts';

export interface RunOptions {
  runId?: string;
  /** Published version being run, or null for a draft (becomes `ctx.version`). */
  version?: number | null;
  /** Called when a node starts, so a UI can show it as running. */
  onNodeStart?: (nodeId: string) => void;
  /** Called with each node's final trace as soon as it is known. */
  onNodeUpdate?: (nodeId: string, trace: NodeTrace) => void;
}

interface Upstream {
  node: GraphNode;
  /** Branch labels of the edges from this upstream; `undefined` marks a plain edge. */
  labels: (string | undefined)[];
}

/** What is fixed about a graph's execution: node order and wiring, computed once per document. */
interface Plan {
  order: GraphNode[];
  upstreams: Map<string, Upstream[]>;
}

const plans = new WeakMap<GraphDocument, Plan>();

function planFor(graph: GraphDocument): Plan {
  let plan = plans.get(graph);
  if (plan) return plan;
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const upstreams = new Map<string, Upstream[]>(graph.nodes.map((n) => [n.id, []]));
  const indegree = new Map(graph.nodes.map((n) => [n.id, 0]));
  const downstream = new Map<string, string[]>();
  for (const edge of graph.edges) addEdge(edge, byId, upstreams, indegree, downstream);

  // Kahn's algorithm, taking ready nodes in document order so runs are deterministic.
  const order: GraphNode[] = [];
  const ready = graph.nodes.filter((n) => indegree.get(n.id) === 0);
  for (let i = 0; i < ready.length; i++) {
    const node = ready[i]!;
    order.push(node);
    for (const next of downstream.get(node.id) ?? []) {
      const d = indegree.get(next)! - 1;
      indegree.set(next, d);
      if (d === 0) ready.push(byId.get(next)!);
    }
  }
  if (order.length !== graph.nodes.length) {
    throw new PlinthError(
      'invalid_document',
      `graph ${JSON.stringify(graph.name)} has a cycle; run validateGraph first`,
    );
  }
  plan = { order, upstreams };
  plans.set(graph, plan);
  return plan;
}

function addEdge(
  edge: GraphEdge,
  byId: Map<string, GraphNode>,
  upstreams: Map<string, Upstream[]>,
  indegree: Map<string, number>,
  downstream: Map<string, string[]>,
) {
  const source = byId.get(edge.source);
  const into = upstreams.get(edge.target);
  if (!source || !into) {
    throw new PlinthError(
      'invalid_document',
      `edge ${edge.source} → ${edge.target} names a missing node; run validateGraph first`,
    );
  }
  const existing = into.find((u) => u.node.id === edge.source);
  if (existing) {
    existing.labels.push(edge.branch);
    return;
  }
  into.push({ node: source, labels: [edge.branch] });
  indegree.set(edge.target, indegree.get(edge.target)! + 1);
  downstream.set(edge.source, [...(downstream.get(edge.source) ?? []), edge.target]);
}

/**
 * The order in which `runGraph` visits the nodes of a validated graph. A runner may use it to
 * plan ahead (the server's workers run a node's sole successor without a round trip).
 */
export function executionOrder(graph: GraphDocument): readonly GraphNode[] {
  return planFor(graph).order;
}

/**
 * Runs a validated graph on `input`, following DESIGN.md's execution semantics:
 * nodes in dependency order, skip propagation, branch routing, a stop at the first
 * node error. Never throws for a node failure: that is in the returned trace.
 */
export async function runGraph(
  graph: GraphDocument,
  input: Json,
  runner: NodeRunner,
  options: RunOptions = {},
): Promise<RunTrace> {
  const started = performance.now();
  const plan = planFor(graph);
  const ctx: NodeContext = {
    runId: options.runId ?? crypto.randomUUID(),
    graph: graph.name,
    version: options.version ?? null,
  };
  const nodes: Record<string, NodeTrace> = {};
  const outputs = new Map<string, Json>();
  const chosen = new Map<string, string>();
  const finish = (output: Json | null, error: RunTrace['error']): RunTrace => ({
    runId: ctx.runId,
    output,
    error,
    nodes,
    durationMs: performance.now() - started,
  });

  let output: Json | null = null;
  for (let i = 0; i < plan.order.length; i++) {
    const node = plan.order[i]!;
    const data = node.type === 'input' ? input : gather(plan.upstreams.get(node.id)!, outputs, chosen);
    if (data === SKIPPED) {
      report(options, nodes, node.id, { status: 'skipped', logs: [], durationMs: 0 });
      continue;
    }
    options.onNodeStart?.(node.id);
    const t0 = performance.now();
    const outcome = await execute(node, data, runner, ctx);
    const durationMs = performance.now() - t0;
    if (!outcome.ok) {
      report(options, nodes, node.id, {
        status: 'error',
        input: data,
        logs: outcome.logs,
        durationMs,
        error: outcome.error,
      });
      for (const rest of plan.order.slice(i + 1))
        report(options, nodes, rest.id, { status: 'not_run', logs: [], durationMs: 0 });
      return finish(null, { nodeId: node.id, ...outcome.error });
    }
    const trace: NodeTrace = { status: 'ok', input: data, output: outcome.output, logs: outcome.logs, durationMs };
    if (node.type === 'branch') {
      // A branch passes its own input on, unchanged, along the chosen edges.
      chosen.set(node.id, outcome.output as string);
      trace.branch = outcome.output as string;
      trace.output = data;
    }
    outputs.set(node.id, trace.output!);
    if (node.type === 'output') output = data;
    report(options, nodes, node.id, trace);
  }
  return finish(output, null);
}

const SKIPPED = Symbol('skipped');

/** The node's `data`: one upstream's value, or an object keyed by the upstreams that delivered. */
function gather(upstreams: Upstream[], outputs: Map<string, Json>, chosen: Map<string, string>): Json | typeof SKIPPED {
  const delivered: [string, Json][] = [];
  for (const { node, labels } of upstreams) {
    if (!outputs.has(node.id)) continue;
    if (node.type === 'branch' && !labels.includes(chosen.get(node.id))) continue;
    delivered.push([node.id, outputs.get(node.id)!]);
  }
  if (delivered.length === 0) return SKIPPED;
  if (upstreams.length === 1) return delivered[0]![1];
  return Object.fromEntries(delivered);
}

async function execute(node: GraphNode, data: Json, runner: NodeRunner, ctx: NodeContext): Promise<NodeOutcome> {
  try {
    switch (node.type) {
      case 'input':
      case 'output':
        return { ok: true, output: data, logs: [] };
      case 'model':
        return await runner.runModel(node, data, ctx);
      case 'python':
        return await runner.runCode(node, data, ctx);
      case 'branch': {
        const outcome = await runner.runCode(node, data, ctx);
        if (outcome.ok && !(typeof outcome.output === 'string' && node.branches.includes(outcome.output))) {
          return { ok: false, logs: outcome.logs, error: invalidBranch(node.id, node.branches, outcome.output) };
        }
        return outcome;
      }
    }
  } catch (err) {
    // A runner reports node failures as outcomes; a throw means the runner itself broke.
    const message = err instanceof Error ? err.message : String(err);
    return {
      ok: false,
      logs: [],
      error: { code: 'worker_crashed', message: `node '${node.id}' could not be run: ${message}` },
    };
  }
}

function invalidBranch(nodeId: string, branches: string[], got: Json): NodeError {
  const allowed = branches.map((b) => JSON.stringify(b)).join(', ');
  return {
    code: 'invalid_branch',
    message: `branch node '${nodeId}' returned ${JSON.stringify(got)}, which is not one of its branches: ${allowed}`,
  };
}

function report(options: RunOptions, nodes: Record<string, NodeTrace>, id: string, trace: NodeTrace) {
  nodes[id] = trace;
  options.onNodeUpdate?.(id, trace);
}
