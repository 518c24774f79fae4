import { describe, expect, it } from 'vitest';
import type { GraphDocument, GraphNode } from '@plinth/shared/graph';
import { describeConflicts, mergeDrafts } from './mergeDrafts.ts';

const python = (id: string, code = 'def process(data, ctx):\n    return data\n', x = 200): GraphNode => ({
  id,
  type: 'python',
  position: { x, y: 0 },
  code,
  requirements: [],
  timeoutMs: 5000,
  network: false,
});

const BASE: GraphDocument = {
  format: 'plinth.graph/v1',
  name: 'merged',
  description: 'base',
  keepRunPayloads: true,
  secrets: [],
  nodes: [
    { id: 'input', type: 'input', position: { x: 0, y: 0 } },
    python('a'),
    python('b', undefined, 400),
    { id: 'output', type: 'output', position: { x: 600, y: 0 } },
  ],
  edges: [
    { source: 'input', target: 'a' },
    { source: 'a', target: 'b' },
    { source: 'b', target: 'output' },
  ],
};

const edit = (doc: GraphDocument, id: string, patch: Partial<GraphNode>): GraphDocument => ({
  ...doc,
  nodes: doc.nodes.map((n) => (n.id === id ? ({ ...n, ...patch } as GraphNode) : n)),
});

describe('mergeDrafts', () => {
  it('takes each side’s edit when they touched different nodes', () => {
    const mine = edit(BASE, 'a', { code: 'mine' });
    const theirs = edit(BASE, 'b', { code: 'theirs' });
    const merged = mergeDrafts(BASE, mine, theirs);
    expect(merged.ok).toBe(true);
    if (!merged.ok) return;
    expect(merged.document.nodes.find((n) => n.id === 'a')).toMatchObject({ code: 'mine' });
    expect(merged.document.nodes.find((n) => n.id === 'b')).toMatchObject({ code: 'theirs' });
    expect(merged.document.edges).toEqual(BASE.edges);
  });

  it('keeps nodes and edges either side added, and drops what either side deleted', () => {
    const mine: GraphDocument = {
      ...BASE,
      nodes: [...BASE.nodes, python('mine_new')],
      edges: [...BASE.edges.filter((e) => e.target !== 'b'), { source: 'a', target: 'mine_new' }],
    };
    const theirs: GraphDocument = {
      ...BASE,
      nodes: [...BASE.nodes.filter((n) => n.id !== 'output'), python('their_new')],
      edges: [...BASE.edges.filter((e) => e.target !== 'output'), { source: 'b', target: 'their_new' }],
    };
    const merged = mergeDrafts(BASE, mine, theirs);
    if (!merged.ok) throw new Error(describeConflicts(merged.conflicts));
    expect(merged.document.nodes.map((n) => n.id)).toEqual(['input', 'a', 'b', 'mine_new', 'their_new']);
    expect(merged.document.edges).toEqual([
      { source: 'input', target: 'a' },
      { source: 'a', target: 'mine_new' },
      { source: 'b', target: 'their_new' },
    ]);
  });

  it('is a conflict when both changed the same node differently, or one edited what the other deleted', () => {
    const mine = edit(BASE, 'a', { code: 'mine' });
    const theirs = edit(BASE, 'a', { code: 'theirs' });
    expect(mergeDrafts(BASE, mine, theirs)).toEqual({ ok: false, conflicts: [{ kind: 'node', nodeId: 'a' }] });
    const deleted = { ...BASE, nodes: BASE.nodes.filter((n) => n.id !== 'a') };
    const result = mergeDrafts(BASE, mine, deleted);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(describeConflicts(result.conflicts)).toBe('node a');
  });

  it('the same change on both sides, or a move against an edit, is no conflict', () => {
    const both = edit(BASE, 'a', { code: 'same' });
    expect(mergeDrafts(BASE, both, both)).toMatchObject({ ok: true });
    const moved = edit(BASE, 'a', { position: { x: 999, y: 9 } });
    const edited = edit(BASE, 'a', { code: 'edited' });
    const merged = mergeDrafts(BASE, moved, edited);
    if (!merged.ok) throw new Error('expected a merge');
    expect(merged.document.nodes.find((n) => n.id === 'a')).toMatchObject({
      code: 'edited',
      position: { x: 999, y: 9 },
    });
  });

  it('graph fields merge the same way, and conflict by name', () => {
    const mine = { ...BASE, description: 'mine' };
    expect(mergeDrafts(BASE, mine, { ...BASE, secrets: ['KEY'] })).toMatchObject({
      ok: true,
      document: { description: 'mine', secrets: ['KEY'] },
    });
    const clash = mergeDrafts(BASE, mine, { ...BASE, description: 'theirs' });
    expect(clash).toEqual({ ok: false, conflicts: [{ kind: 'field', field: 'description' }] });
  });
});
