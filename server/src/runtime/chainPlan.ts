import {
  DEFAULT_NODE_TIMEOUT_MS,
  executionOrder,
  isCodeNode,
  type GraphDocument,
  type GraphEdge,
  type GraphNode,
  type Json,
  type NodeOutcome,
} from '@plinth/shared';

/**
 * Which code node a worker may run right after another without asking the server, so a
 * published run costs one round trip instead of one per node.
 *
 * Node B follows node A only when the executor itself would run B next, and only with data
 * that A alone determines: A's sole successor that comes right after it in the executor's order
 * (fed A's output), or, for a branch, the first node of the chosen branch once the nodes the
 * choice skips are passed over (fed the branch's input). The server checks every streamed
 * result against the call the executor actually makes.
 */
export interface ChainPlan {
  /** python node → its successor; branch node → (branch value → successor). */
  readonly follow: ReadonlyMap<string, string | ReadonlyMap<string, string>>;
  readonly timeouts: ReadonlyMap<string, number>;
}

const plans = new WeakMap<GraphDocument, ChainPlan>();

export function chainPlan(graph: GraphDocument): ChainPlan {
  let plan = plans.get(graph);
  if (plan) return plan;
  const order = executionOrder(graph);
  const incoming = new Map<string, GraphEdge[]>(graph.nodes.map((n) => [n.id, []]));
  for (const edge of graph.edges) incoming.get(edge.target)?.push(edge);
  const onlyFrom = (node: GraphNode, source: string) => {
    const edges = incoming.get(node.id)!;
    return edges.length > 0 && edges.every((e) => e.source === source);
  };

  const follow = new Map<string, string | Map<string, string>>();
  const timeouts = new Map<string, number>();
  order.forEach((node, i) => {
    if (!isCodeNode(node)) return;
    timeouts.set(node.id, node.timeoutMs ?? DEFAULT_NODE_TIMEOUT_MS);
    if (node.type === 'python') {
      const next = order[i + 1];
      if (next && isCodeNode(next) && onlyFrom(next, node.id)) follow.set(node.id, next.id);
      return;
    }
    const byValue = new Map<string, string>();
    for (const value of node.branches) {
      for (const next of order.slice(i + 1)) {
        if (!onlyFrom(next, node.id)) break; // its data depends on more than this choice
        if (incoming.get(next.id)!.some((e) => e.branch === value)) {
          if (isCodeNode(next)) byValue.set(value, next.id);
          break;
        }
        // `next` hangs only off other branches of this node: this choice skips it.
      }
    }
    if (byValue.size > 0) follow.set(node.id, byValue);
  });
  plan = { follow, timeouts };
  plans.set(graph, plan);
  return plan;
}

/** The follow table as the runner's load frame carries it. */
export function followForRunner(plan: ChainPlan): Record<string, string | Record<string, string>> {
  const wire: Record<string, string | Record<string, string>> = {};
  for (const [id, next] of plan.follow) wire[id] = typeof next === 'string' ? next : Object.fromEntries(next);
  return wire;
}

/** The node the worker runs next after `nodeId` finished with `outcome`, as the runner decides it. */
export function nextInChain(
  plan: ChainPlan,
  nodeId: string,
  input: Json,
  outcome: NodeOutcome,
): { nodeId: string; input: Json } | null {
  if (!outcome.ok) return null;
  const next = plan.follow.get(nodeId);
  if (next === undefined) return null;
  if (typeof next === 'string') return { nodeId: next, input: outcome.output };
  const chosen = typeof outcome.output === 'string' ? next.get(outcome.output) : undefined;
  return chosen === undefined ? null : { nodeId: chosen, input };
}
