import type { GraphDocument, GraphNode } from '@plinth/shared/graph';

/** True when two nodes differ at most in their position (one was dragged). */
export function samePartsButPosition(a: GraphNode, b: GraphNode): boolean {
  if (a === b) return true;
  const ra = a as unknown as Record<string, unknown>;
  const rb = b as unknown as Record<string, unknown>;
  const keys = Object.keys(ra);
  return keys.length === Object.keys(rb).length && keys.every((k) => k === 'position' || ra[k] === rb[k]);
}

/** True when two documents differ at most in node positions (a drag). */
export function onlyPositionsDiffer(a: GraphDocument, b: GraphDocument): boolean {
  return (
    a.edges === b.edges &&
    a.name === b.name &&
    a.description === b.description &&
    a.nodes.length === b.nodes.length &&
    a.nodes.every((n, i) => samePartsButPosition(n, b.nodes[i] as GraphNode))
  );
}
