import { describe, expect, it } from 'vitest';
import { validateGraph } from './validateGraph.ts';
import { validateInput } from './validateInput.ts';
import { routingGraph } from './testing/graphs.ts';

const graph = (() => {
  const r = validateGraph(routingGraph());
  if (!r.ok) throw new Error('fixture invalid');
  return r.graph;
})();

describe('validateInput', () => {
  it('accepts input that satisfies the input node schema', () => {
    expect(validateInput(graph, { amount: 12.5, extra: true })).toEqual([]);
  });

  it('names the missing and mistyped fields, located under input', () => {
    expect(validateInput(graph, {})).toEqual([
      { path: 'input.amount', nodeId: 'input', message: 'input.amount is required' },
    ]);
    expect(validateInput(graph, { amount: 'lots' })).toEqual([
      { path: 'input.amount', nodeId: 'input', message: 'input.amount must be number' },
    ]);
  });

  it('accepts anything when the input node has no schema', () => {
    const open = { ...graph, nodes: graph.nodes.map((n) => (n.type === 'input' ? { ...n, schema: undefined } : n)) };
    expect(validateInput(open, [1, 'two'])).toEqual([]);
  });
});
