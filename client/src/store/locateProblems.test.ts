import { describe, expect, it } from 'vitest';
import { validateGraph } from '@plinth/shared';
import type { GraphDocument } from '@plinth/shared';
import { createNode } from './nodeDefaults.ts';
import { locateProblems } from './locateProblems.ts';

function doc(edges: GraphDocument['edges']): GraphDocument {
  return {
    format: 'plinth.graph/v1',
    name: 'g',
    keepRunPayloads: true,
    secrets: [],
    description: '',
    nodes: [
      createNode('input', 'input', { x: 0, y: 0 }),
      createNode('python', 'a', { x: 0, y: 0 }),
      createNode('python', 'b', { x: 0, y: 0 }),
      createNode('branch', 'decide', { x: 0, y: 0 }),
      createNode('output', 'output', { x: 0, y: 0 }),
    ],
    edges,
  };
}

function locate(d: GraphDocument) {
  const result = validateGraph(d);
  return locateProblems(d, result.ok ? [] : result.problems);
}

describe('locateProblems', () => {
  it('shows a cycle on its nodes and on the edges that form it', () => {
    const v = locate(
      doc([
        { source: 'input', target: 'a' },
        { source: 'a', target: 'b' },
        { source: 'b', target: 'a' },
      ]),
    );
    expect(v.byNode.get('a')?.join()).toMatch(/cycle/);
    expect(v.byEdge.get('a->b')?.join()).toMatch(/cycle/);
    expect(v.byEdge.get('b->a')?.join()).toMatch(/cycle/);
    expect(v.byEdge.has('input->a')).toBe(false);
  });

  it('shows an unlabelled edge leaving a branch node on the edge and the node', () => {
    const v = locate(doc([{ source: 'decide', target: 'output' }]));
    expect(v.byEdge.get('decide->output')?.join()).toMatch(/must name one of its branches/);
    expect(v.byNode.get('decide')?.join()).toMatch(/must name one of its branches/);
  });

  it('finds nothing wrong with a valid graph', () => {
    const v = locate(
      doc([
        { source: 'input', target: 'a' },
        { source: 'a', target: 'decide' },
        { source: 'decide', target: 'output', branch: 'yes' },
      ]),
    );
    expect(v.problems).toEqual([]);
  });
});
