import { describe, expect, it } from 'vitest';
import type { GraphDocument } from '@plinth/shared/graph';
import { createNode } from '../store/nodeDefaults.ts';
import { diffVersions } from './versionDiff.ts';

const doc = (): GraphDocument => ({
  format: 'plinth.graph/v1',
  name: 'g',
  description: 'one',
  keepRunPayloads: true,
  secrets: [],
  nodes: [
    createNode('input', 'input', { x: 0, y: 0 }),
    createNode('python', 'fee', { x: 200, y: 0 }),
    createNode('output', 'output', { x: 400, y: 0 }),
  ],
  edges: [
    { source: 'input', target: 'fee' },
    { source: 'fee', target: 'output' },
  ],
});

describe('diffVersions', () => {
  it('finds nothing when only positions moved', () => {
    const after = doc();
    after.nodes = after.nodes.map((n) => ({ ...n, position: { x: 9, y: 9 } }));
    expect(diffVersions(doc(), after)).toEqual({ nodes: [], addedEdges: [], removedEdges: [], graph: null });
  });

  it('shows a code change as code lines, a field change as JSON, added nodes and edges, graph fields', () => {
    const after = doc();
    after.description = 'two';
    after.nodes = after.nodes.map((n) =>
      n.id === 'fee' && n.type === 'python'
        ? { ...n, code: 'def process(data, ctx):\n    return 2\n', timeoutMs: 900 }
        : n,
    );
    after.nodes.push(createNode('python', 'extra', { x: 0, y: 0 }));
    after.edges = [...after.edges, { source: 'input', target: 'extra' }];
    const d = diffVersions(doc(), after);
    expect(d.nodes.map((n) => [n.id, n.status])).toEqual([
      ['fee', 'changed'],
      ['extra', 'added'],
    ]);
    const fee = d.nodes[0];
    expect(fee?.code?.filter((l) => l.kind === 'added').map((l) => l.text)).toEqual(['    return 2']);
    expect(fee?.fields?.filter((l) => l.kind === 'added').map((l) => l.text.trim())).toEqual(['"timeoutMs": 900,']);
    expect(d.addedEdges).toEqual(['input->extra']);
    expect(d.removedEdges).toEqual([]);
    expect(d.graph?.filter((l) => l.kind !== 'same').map((l) => l.text.trim())).toEqual([
      '"description": "one",',
      '"description": "two",',
    ]);
  });
});
