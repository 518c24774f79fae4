import type { GraphNode, NodeType } from '@plinth/shared';
import { DEFAULT_NODE_TIMEOUT_MS } from '@plinth/shared/limits';
import type { Position } from './graphStore.ts';

export const DEFAULT_PYTHON_CODE = 'def process(data, ctx):\n    return data\n';
export const DEFAULT_BRANCH_CODE = "def process(data, ctx):\n    return 'yes' if data else 'no'\n";

/**
 * The first free id for a new node: `input`/`output` for the (single) endpoints,
 * otherwise `<type>_<n>` counting from 1.
 */
export function nextNodeId(type: NodeType, nodes: readonly GraphNode[]): string {
  const taken = new Set(nodes.map((n) => n.id));
  if ((type === 'input' || type === 'output') && !taken.has(type)) return type;
  for (let n = 1; ; n++) {
    const id = `${type}_${n}`;
    if (!taken.has(id)) return id;
  }
}

/** A new node of a type with sensible, valid defaults. */
export function createNode(type: NodeType, id: string, position: Position): GraphNode {
  const pos = { x: Math.round(position.x), y: Math.round(position.y) };
  switch (type) {
    case 'input':
      return { id, type, position: pos, schema: { type: 'object' }, example: {} };
    case 'python':
      return {
        id,
        type,
        position: pos,
        code: DEFAULT_PYTHON_CODE,
        requirements: [],
        timeoutMs: DEFAULT_NODE_TIMEOUT_MS,
        network: false,
      };
    case 'model':
      return { id, type, position: pos, model: '', modelVersion: null, timeoutMs: DEFAULT_NODE_TIMEOUT_MS };
    case 'branch':
      return {
        id,
        type,
        position: pos,
        branches: ['yes', 'no'],
        code: DEFAULT_BRANCH_CODE,
        timeoutMs: DEFAULT_NODE_TIMEOUT_MS,
      };
    case 'output':
      return { id, type, position: pos };
  }
}
