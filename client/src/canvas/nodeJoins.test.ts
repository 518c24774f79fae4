import { describe, expect, it } from 'vitest';
import type { GraphDocument, GraphEdge } from '@plinth/shared/graph';
import { createNode } from '../store/nodeDefaults.ts';
import { describeJoin, nodeJoins } from './nodeJoins.ts';

/** input → decide (branch yes/no) → yes_path | no_path → merge → output, plus `extra` edges. */
function ifElse(extra: GraphEdge[] = []): GraphDocument {
  return {
    format: 'plinth.graph/v1',
    name: 'if-else',
    description: '',
    keepRunPayloads: true,
    secrets: [],
    nodes: [
      createNode('input', 'input', { x: 0, y: 0 }),
      createNode('branch', 'decide', { x: 0, y: 0 }),
      createNode('python', 'yes_path', { x: 0, y: 0 }),
      createNode('python', 'no_path', { x: 0, y: 0 }),
      createNode('python', 'merge', { x: 0, y: 0 }),
      createNode('output', 'output', { x: 0, y: 0 }),
    ],
    edges: [
      { source: 'input', target: 'decide' },
      { source: 'decide', branch: 'yes', target: 'yes_path' },
      { source: 'decide', branch: 'no', target: 'no_path' },
      { source: 'yes_path', target: 'merge' },
      { source: 'no_path', target: 'merge' },
      { source: 'merge', target: 'output' },
      ...extra,
    ],
  };
}

describe('nodeJoins', () => {
  it('an if/else meets again as alternatives; single upstreams have no join line', () => {
    const joins = nodeJoins(ifElse());
    expect([...joins]).toEqual([['merge', { kind: 'alternatives', upstreams: ['yes_path', 'no_path'] }]]);
    expect(describeJoin(joins.get('merge')!).line).toBe('one of: yes_path, no_path');
  });

  it('an upstream that runs whatever the branch chose makes the join keyed by id', () => {
    const joins = nodeJoins(ifElse([{ source: 'input', target: 'merge' }]));
    const merge = joins.get('merge')!;
    expect(merge).toEqual({ kind: 'keyed', upstreams: ['yes_path', 'no_path', 'input'] });
    expect(describeJoin(merge)).toEqual({
      line: '{yes_path, no_path, input} by id',
      title:
        'data is an object keyed by node id holding the outputs of those of yes_path, no_path, input that ran, ' +
        'e.g. {"yes_path": …, "no_path": …, "input": …}; one that was skipped is left out.',
    });
  });

  it('says nothing while the drawing has a cycle', () => {
    expect(nodeJoins(ifElse([{ source: 'merge', target: 'decide' }])).size).toBe(0);
  });
});
