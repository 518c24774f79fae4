import { describe, expect, it } from 'vitest';
import type { GraphDocument } from '@plinth/shared/graph';
import { createNode } from '../store/nodeDefaults.ts';
import { NOT_VALIDATED_YET } from '../store/locateProblems.ts';
import { withNodeUpdated, withPositions } from '../store/documentEdits.ts';
import { nodeJoins } from './nodeJoins.ts';
import { FlowMapper, type FlowInputs } from './toFlow.ts';

const doc: GraphDocument = {
  format: 'plinth.graph/v1',
  name: 'flow',
  description: '',
  keepRunPayloads: true,
  secrets: [],
  nodes: [
    createNode('input', 'input', { x: 0, y: 0 }),
    createNode('python', 'a', { x: 100, y: 0 }),
    createNode('python', 'b', { x: 100, y: 100 }),
    createNode('python', 'both', { x: 200, y: 0 }),
    createNode('output', 'output', { x: 300, y: 0 }),
  ],
  edges: [
    { source: 'input', target: 'a' },
    { source: 'input', target: 'b' },
    { source: 'a', target: 'both' },
    { source: 'b', target: 'both' },
    { source: 'both', target: 'output' },
  ],
};

const inputs = (document: GraphDocument): FlowInputs => ({
  document,
  selectedNodeIds: new Set(),
  selectedEdgeKeys: new Set(),
  validation: NOT_VALIDATED_YET,
  live: {},
  joins: nodeJoins(document),
  sizes: {},
});

describe('FlowMapper', () => {
  it('carries the join of a node with several upstreams in its data', () => {
    const nodes = new FlowMapper().mapNodes(inputs(doc));
    expect(nodes.find((n) => n.id === 'both')?.data.join).toEqual({ kind: 'keyed', upstreams: ['a', 'b'] });
    expect(nodes.find((n) => n.id === 'a')?.data.join).toBeUndefined();
  });

  it('while a node is dragged, the others keep their objects and the dragged one its data', () => {
    const mapper = new FlowMapper();
    const before = mapper.mapNodes(inputs(doc));
    const after = mapper.mapNodes(inputs(withPositions(doc, { a: { x: 150, y: 40 } })));
    after.forEach((n, i) => {
      if (n.id === 'a') {
        expect(n).not.toBe(before[i]);
        expect(n.position).toEqual({ x: 150, y: 40 });
        expect(n.data).toBe(before[i]?.data); // the memoised node view does not re-render
      } else expect(n, n.id).toBe(before[i]);
    });
  });

  it('an edit elsewhere, which plans the graph again, leaves the joining node as it was', () => {
    const mapper = new FlowMapper();
    const before = mapper.mapNodes(inputs(doc));
    const after = mapper.mapNodes(
      inputs(withNodeUpdated(doc, 'a', { code: 'def process(data, ctx):\n    return 1\n' })),
    );
    expect(after.find((n) => n.id === 'both')).toBe(before.find((n) => n.id === 'both'));
    expect(after.find((n) => n.id === 'a')).not.toBe(before.find((n) => n.id === 'a'));
  });
});
