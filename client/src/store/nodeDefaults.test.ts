import { describe, expect, it } from 'vitest';
import { createNode, nextNodeId } from './nodeDefaults.ts';

describe('node defaults', () => {
  it('numbers ids past the taken ones; a graph’s only input node is just `input`', () => {
    const taken = [createNode('python', 'python_1', { x: 0, y: 0 }), createNode('python', 'python_3', { x: 0, y: 0 })];
    expect(nextNodeId('python', taken)).toBe('python_2');
    expect(nextNodeId('input', [])).toBe('input');
    expect(nextNodeId('input', [createNode('input', 'input', { x: 0, y: 0 })])).toBe('input_1');
  });

  it('rounds the position to whole pixels', () => {
    expect(createNode('output', 'output', { x: 10.4, y: 20.6 }).position).toEqual({ x: 10, y: 21 });
  });
});
