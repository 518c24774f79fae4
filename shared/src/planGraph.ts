import { PlinthError } from './errors.ts';
import type { GraphDocument, GraphEdge } from './graph.ts';
import {
  isCodeNode,
  nodeTypeOf,
  routesOf,
  type CodeNode,
  type GraphNode,
  type NodeTypeDefinition,
} from './nodeTypes/index.ts';
import type { Json } from './json.ts';

/** An upstream node of a node, with the labels of the edges between them (`undefined`: a plain edge). */
export interface Upstream {
  readonly id: string;
  readonly labels: readonly (string | undefined)[];
}

/**
 * How a node's `data` is made from its upstream nodes, decided from the drawing alone:
 * - `none`: no upstream node (the input node gets the request; any other such node is skipped);
 * - `single`: one upstream node; `data` is its value;
 * - `alternatives`: several upstream nodes of which at most one can run, because branch nodes
 *   route them apart; `data` is the value of the one that ran, as after an if/else;
 * - `keyed`: several upstream nodes that may run together; `data` is an object keyed by the
 *   ids of those that ran.
 */
export type JoinKind = 'none' | 'single' | 'alternatives' | 'keyed';

/** What a runner may run right after a node without handing back (see `ExecutionPlan`). */
export type Follow =
  /** A python node's successor, fed the node's output. */
  | { readonly kind: 'output'; readonly next: string }
  /** A router's successor per route, fed the router's own input. */
  | { readonly kind: 'route'; readonly next: ReadonlyMap<string, string> };

export interface PlannedNode {
  readonly node: GraphNode;
  readonly type: NodeTypeDefinition;
  /** Position in `order`. */
  readonly index: number;
  readonly upstreams: readonly Upstream[];
  readonly join: JoinKind;
  /**
   * For code nodes: the worker group the node runs in. Nodes of one group share an interpreter;
   * a node with network access or its own requirements runs in a group of its own kind.
   */
  readonly group?: string;
  readonly follow?: Follow;
}

/**
 * Everything fixed about running one graph, computed once per document and shared by every
 * runner: the order nodes run in, how each node's `data` is gathered, and which successor a
 * runner may run ahead.
 *
 * Run-ahead: B follows A only when the executor itself runs B right after A with data that A
 * alone determines. A python node's successor is its sole successor when that comes right after
 * it in the order and has no other upstream (fed A's output); a branch's successor for a route is
 * the first node after it that the route reaches, once the nodes the choice skips are passed over
 * (fed the branch's input). Both must be code nodes of the same worker group.
 */
export interface ExecutionPlan {
  readonly graph: GraphDocument;
  readonly order: readonly PlannedNode[];
  readonly byId: ReadonlyMap<string, PlannedNode>;
}

const plans = new WeakMap<GraphDocument, ExecutionPlan>();

/** The plan of a validated graph (cached per document object). Throws on a cycle or a dangling edge. */
export function planGraph(graph: GraphDocument): ExecutionPlan {
  let plan = plans.get(graph);
  if (!plan) {
    plan = buildPlan(graph);
    plans.set(graph, plan);
  }
  return plan;
}

/** The worker group of a code node: nodes with the same network access and requirements share one. */
export function workerGroupOf(node: CodeNode): string {
  const requirements = [...new Set(node.requirements.map((r) => r.trim()).filter(Boolean))].sort();
  return `${node.network ? 'net' : 'local'}:${requirements.join('\n')}`;
}

function buildPlan(graph: GraphDocument): ExecutionPlan {
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const upstreams = new Map<string, { id: string; labels: (string | undefined)[] }[]>(
    graph.nodes.map((n) => [n.id, []]),
  );
  const downstream = new Map<string, string[]>(graph.nodes.map((n) => [n.id, []]));
  for (const edge of graph.edges) addEdge(graph, edge, byId, upstreams, downstream);

  const order = topologicalOrder(graph, upstreams, downstream, byId);
  const reach = new RouteReach(order, upstreams);
  const planned: PlannedNode[] = order.map((node, index) => {
    const ups = upstreams.get(node.id)!;
    return {
      node,
      type: nodeTypeOf(node),
      index,
      upstreams: ups,
      join: reach.join(ups),
      ...(isCodeNode(node) ? { group: workerGroupOf(node) } : {}),
    };
  });
  const withFollow = planned.map((p) => {
    const follow = followOf(p, planned, upstreams);
    return follow ? { ...p, follow } : p;
  });
  return { graph, order: withFollow, byId: new Map(withFollow.map((p) => [p.node.id, p])) };
}

function addEdge(
  graph: GraphDocument,
  edge: GraphEdge,
  byId: Map<string, GraphNode>,
  upstreams: Map<string, { id: string; labels: (string | undefined)[] }[]>,
  downstream: Map<string, string[]>,
) {
  const into = upstreams.get(edge.target);
  if (!byId.has(edge.source) || !into) {
    throw new PlinthError(
      'invalid_document',
      `graph ${JSON.stringify(graph.name)}: edge ${edge.source} → ${edge.target} names a missing node; run validateGraph first`,
    );
  }
  const existing = into.find((u) => u.id === edge.source);
  if (existing) {
    existing.labels.push(edge.branch);
    return;
  }
  into.push({ id: edge.source, labels: [edge.branch] });
  downstream.get(edge.source)!.push(edge.target);
}

/** Kahn's algorithm, starting from the nodes without upstreams in document order, so runs are deterministic. */
function topologicalOrder(
  graph: GraphDocument,
  upstreams: Map<string, Upstream[]>,
  downstream: Map<string, string[]>,
  byId: Map<string, GraphNode>,
): GraphNode[] {
  const indegree = new Map(graph.nodes.map((n) => [n.id, upstreams.get(n.id)!.length]));
  const order = graph.nodes.filter((n) => indegree.get(n.id) === 0);
  for (let i = 0; i < order.length; i++) {
    for (const next of downstream.get(order[i]!.id)!) {
      const d = indegree.get(next)! - 1;
      indegree.set(next, d);
      if (d === 0) order.push(byId.get(next)!);
    }
  }
  if (order.length !== graph.nodes.length) {
    throw new PlinthError(
      'invalid_document',
      `graph ${JSON.stringify(graph.name)} has a cycle; run validateGraph first`,
    );
  }
  return order;
}

/** The routes of one router through which a node can be reached; `FREE` marks a way around the router. */
const FREE = '\u0000free';

/**
 * For every node and every router (branch node), the router's routes through which the node can be
 * reached. A node whose set for router R lacks FREE runs only when R chose one of the routes in its
 * set (by induction over the order: each of its upstream nodes delivers only then).
 */
class RouteReach {
  private readonly reach = new Map<string, Map<string, ReadonlySet<string>>>();
  readonly routers: readonly string[];

  constructor(order: readonly GraphNode[], upstreams: Map<string, Upstream[]>) {
    this.routers = order.filter((n) => routesOf(n) !== undefined).map((n) => n.id);
    for (const node of order) {
      const ups = upstreams.get(node.id)!;
      const mine = new Map<string, ReadonlySet<string>>();
      for (const router of this.routers) {
        const set = new Set<string>(ups.length === 0 ? [FREE] : []);
        for (const up of ups) for (const r of this.delivers(up, router)) set.add(r);
        mine.set(router, set);
      }
      this.reach.set(node.id, mine);
    }
  }

  /** Through which of `router`'s routes (or FREE) an upstream's value can arrive over its edges. */
  delivers(up: Upstream, router: string): ReadonlySet<string> {
    if (up.id === router) return new Set(up.labels.map((l) => l ?? FREE));
    return this.reach.get(up.id)!.get(router)!;
  }

  /** Whether two upstream values can never both arrive: some router sends them down disjoint routes. */
  exclusive(a: Upstream, b: Upstream): boolean {
    return this.routers.some((router) => {
      const ra = this.delivers(a, router);
      const rb = this.delivers(b, router);
      if (ra.has(FREE) || rb.has(FREE)) return false;
      for (const r of ra) if (rb.has(r)) return false;
      return true;
    });
  }

  join(ups: readonly Upstream[]): JoinKind {
    if (ups.length === 0) return 'none';
    if (ups.length === 1) return 'single';
    for (let i = 0; i < ups.length; i++) {
      for (let j = i + 1; j < ups.length; j++) if (!this.exclusive(ups[i]!, ups[j]!)) return 'keyed';
    }
    return 'alternatives';
  }
}

function followOf(
  p: PlannedNode,
  order: readonly PlannedNode[],
  upstreams: Map<string, Upstream[]>,
): Follow | undefined {
  if (p.group === undefined) return undefined;
  const fromOnly = (q: PlannedNode) => q.upstreams.length === 1 && q.upstreams[0]!.id === p.node.id;
  const sameGroup = (q: PlannedNode | undefined): q is PlannedNode => q !== undefined && q.group === p.group;
  const routes = p.type.routes?.(p.node);
  if (routes === undefined) {
    const next = order[p.index + 1];
    return sameGroup(next) && fromOnly(next) ? { kind: 'output', next: next.node.id } : undefined;
  }
  const byRoute = new Map<string, string>();
  for (const route of routes) {
    for (const next of order.slice(p.index + 1)) {
      if (!fromOnly(next)) break; // its data depends on more than this choice
      if (upstreams.get(next.node.id)![0]!.labels.includes(route)) {
        if (sameGroup(next)) byRoute.set(route, next.node.id);
        break;
      }
      // `next` hangs only off other routes of this node: this choice skips it.
    }
  }
  return byRoute.size > 0 ? { kind: 'route', next: byRoute } : undefined;
}

/**
 * The node a runner goes on to after `nodeId` returned `output` (ok), and the data it feeds it;
 * null when the run goes back to the executor. The one rule both runners and the executor use.
 */
export function nextAhead(
  plan: ExecutionPlan,
  nodeId: string,
  input: Json,
  output: Json,
): { nodeId: string; data: Json } | null {
  const follow = plan.byId.get(nodeId)?.follow;
  if (!follow) return null;
  if (follow.kind === 'output') return { nodeId: follow.next, data: output };
  const next = typeof output === 'string' ? follow.next.get(output) : undefined;
  return next === undefined ? null : { nodeId: next, data: input };
}

/** The follow table as the Python runner's load frame carries it: id → next id, or route → next id. */
export function followTable(plan: ExecutionPlan, group?: string): Record<string, string | Record<string, string>> {
  const table: Record<string, string | Record<string, string>> = {};
  for (const p of plan.order) {
    if (!p.follow || (group !== undefined && p.group !== group)) continue;
    table[p.node.id] = p.follow.kind === 'output' ? p.follow.next : Object.fromEntries(p.follow.next);
  }
  return table;
}
