import { describe, expect, it } from 'vitest';
import { routingGraph } from './testing/graphs.ts';
import { validateGraph } from './validateGraph.ts';
import { sameBehaviour } from './sameBehaviour.ts';
import type { GraphDocument } from './graph.ts';

function valid(doc: unknown): GraphDocument {
  const result = validateGraph(doc);
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.graph;
}

describe('sameBehaviour', () => {
  const base = valid(routingGraph());
  it('ignores positions and key order', () => {
    const moved = { ...base, nodes: base.nodes.map((n) => ({ ...n, position: { x: 1, y: 2 } })) };
    const reordered = Object.fromEntries(Object.entries(base).reverse()) as unknown as GraphDocument;
    expect(sameBehaviour(base, moved)).toBe(true);
    expect(sameBehaviour(base, reordered)).toBe(true);
  });

  it('sees a change of code, an edge or the description', () => {
    expect(sameBehaviour(base, { ...base, description: 'new' })).toBe(false);
    expect(sameBehaviour(base, { ...base, edges: base.edges.slice(1) })).toBe(false);
    const nodes = base.nodes.map((n) => (n.type === 'python' ? { ...n, code: `${n.code}\n` } : n));
    expect(sameBehaviour(base, { ...base, nodes })).toBe(false);
  });
});
