import type { Problem } from '@plinth/shared';
import type { GraphDocument } from '@plinth/shared/graph';
import { edgeKey } from './documentEdits.ts';

export interface Validation {
  problems: readonly Problem[];
  /** Messages per node id (its own problems and those of its edges). */
  byNode: ReadonlyMap<string, string[]>;
  /** Messages per edge key. */
  byEdge: ReadonlyMap<string, string[]>;
}

/** Before the validator has loaded (see `loadShared`): nothing found yet. */
export const NOT_VALIDATED_YET: Validation = { problems: [], byNode: new Map(), byEdge: new Map() };

const EDGE_PATH = /^edges\[(\d+)\]/;

export function locateProblems(document: GraphDocument, problems: readonly Problem[]): Validation {
  const byNode = new Map<string, string[]>();
  const byEdge = new Map<string, string[]>();
  const push = (map: Map<string, string[]>, key: string, message: string) => {
    const list = map.get(key);
    if (list === undefined) map.set(key, [message]);
    else if (!list.includes(message)) list.push(message);
  };
  for (const p of problems) {
    if (p.nodeId !== undefined) push(byNode, p.nodeId, p.message);
    const match = EDGE_PATH.exec(p.path);
    const edge = match?.[1] === undefined ? undefined : document.edges[Number(match[1])];
    if (edge !== undefined) push(byEdge, edgeKey(edge), p.message);
    // A node problem located by path only (e.g. `nodes[2].schema`).
    const nodeMatch = /^nodes\[(\d+)\]/.exec(p.path);
    const node = nodeMatch?.[1] === undefined ? undefined : document.nodes[Number(nodeMatch[1])];
    if (node !== undefined && p.nodeId === undefined) push(byNode, node.id, p.message);
  }
  // A cycle is reported per node (path `edges`): show it on the edges that close it too.
  const inCycle = new Set(
    problems.filter((p) => p.path === 'edges' && p.nodeId !== undefined).map((p) => p.nodeId as string),
  );
  if (inCycle.size > 0) {
    for (const edge of document.edges) {
      if (inCycle.has(edge.source) && inCycle.has(edge.target))
        push(byEdge, edgeKey(edge), 'part of a cycle: edges must form a DAG');
    }
  }
  return { problems, byNode, byEdge };
}
