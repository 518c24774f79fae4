import { planGraph, type GraphDocument } from '@plinth/shared/graph';

/** How a node with several upstream nodes gets its `data`, as the shared plan decides it from the drawing. */
export interface NodeJoin {
  /**
   * `alternatives`: branch nodes route the upstreams apart, so at most one runs and `data` is its
   * value; `keyed`: they may run together and `data` is an object keyed by their ids.
   */
  kind: 'alternatives' | 'keyed';
  upstreams: readonly string[];
}

/**
 * The joins of the nodes with several upstream nodes. Empty while the drawing has no plan
 * (a cycle or an edge to a missing node): the graph's problems say why.
 */
export function nodeJoins(doc: GraphDocument): ReadonlyMap<string, NodeJoin> {
  let plan;
  try {
    plan = planGraph(doc);
  } catch {
    return new Map();
  }
  const joins = new Map<string, NodeJoin>();
  for (const { node, join, upstreams } of plan.order) {
    if (join === 'alternatives' || join === 'keyed') {
      joins.set(node.id, { kind: join, upstreams: upstreams.map((u) => u.id) });
    }
  }
  return joins;
}

/** The short line on the node, and what it means for the node's `data`. */
export function describeJoin({ kind, upstreams }: NodeJoin): { line: string; title: string } {
  const names = upstreams.join(', ');
  if (kind === 'alternatives') {
    return {
      line: `one of: ${names}`,
      title:
        `data is the output of whichever of ${names} ran: branch nodes route them apart, ` +
        'so at most one of them runs (as after an if/else).',
    };
  }
  const example = upstreams.map((id) => `"${id}": …`).join(', ');
  return {
    line: `{${names}} by id`,
    title:
      `data is an object keyed by node id holding the outputs of those of ${names} that ran, ` +
      `e.g. {${example}}; one that was skipped is left out.`,
  };
}
