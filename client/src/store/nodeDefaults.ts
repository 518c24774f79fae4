import { nodeTypes, type GraphNode, type NodeType, type Position } from '@plinth/shared/graph';

/**
 * The first free id for a new node: `input`/`output` for the (single) endpoints,
 * otherwise `<type>_<n>` counting from 1.
 */
export function nextNodeId(type: NodeType, nodes: readonly GraphNode[]): string {
  const taken = new Set(nodes.map((n) => n.id));
  if (nodeTypes[type].cardinality === 'one' && !taken.has(type)) return type;
  for (let n = 1; ; n++) {
    const id = `${type}_${n}`;
    if (!taken.has(id)) return id;
  }
}

/** A new node of a type with sensible, valid defaults (its type's `create`). */
export function createNode(type: NodeType, id: string, position: Position): GraphNode {
  return nodeTypes[type].create(id, { x: Math.round(position.x), y: Math.round(position.y) });
}
