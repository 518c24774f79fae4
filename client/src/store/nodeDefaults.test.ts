import { describe, expect, it } from 'vitest';
import { NODE_TYPES, validateGraph } from '@plinth/shared';
import { createNode, nextNodeId } from './nodeDefaults.ts';

describe('node defaults', () => {
  it('every new node is valid as it comes from the palette', () => {
    const nodes = NODE_TYPES.map((type) => createNode(type, nextNodeId(type, []), { x: 0, y: 0 }));
    const result = validateGraph({ format: 'plinth.graph/v1', name: 'defaults', nodes, edges: [] });
    expect(result.ok ? [] : result.problems).toEqual([]);
  });

  it('numbers ids past the taken ones', () => {
    const taken = [createNode('python', 'python_1', { x: 0, y: 0 }), createNode('python', 'python_3', { x: 0, y: 0 })];
    expect(nextNodeId('python', taken)).toBe('python_2');
    expect(nextNodeId('input', [createNode('input', 'input', { x: 0, y: 0 })])).toBe('input_1');
  });
});
