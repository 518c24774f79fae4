import { beforeEach, describe, expect, it, vi } from 'vitest';
import { validateGraph } from '@plinth/shared';
import type { GraphDocument } from '@plinth/shared/graph';
import { COALESCE_MS, createGraphStore, edgeKey, emptyDocument, type GraphStore } from './graphStore.ts';

let graph: GraphStore;
const store = () => graph.getState();

beforeEach(() => {
  vi.useRealTimers();
  graph = createGraphStore({ document: emptyDocument('test') });
});

describe('graphStore', () => {
  it('adds nodes with valid, unique ids and selects the new one', () => {
    expect(store().addNode('input', { x: 0, y: 0 })).toBe('input');
    expect(store().addNode('python', { x: 10.4, y: 20.6 })).toBe('python_1');
    expect(store().addNode('python', { x: 0, y: 0 })).toBe('python_2');
    expect(store().document.nodes.map((n) => n.id)).toEqual(['input', 'python_1', 'python_2']);
    expect(store().document.nodes[1]?.position).toEqual({ x: 10, y: 21 });
    expect(store().selectedNodeId).toBe('python_2');
  });

  it('connects nodes, refusing duplicates and self-loops', () => {
    store().addNode('input', { x: 0, y: 0 });
    store().addNode('output', { x: 0, y: 0 });
    expect(store().connect({ source: 'input', target: 'output' })).toBe(true);
    expect(store().connect({ source: 'input', target: 'output' })).toBe(false);
    expect(store().connect({ source: 'input', target: 'input' })).toBe(false);
    expect(store().document.edges).toEqual([{ source: 'input', target: 'output' }]);
  });

  it('labels edges leaving a branch node with the branch, and drops them with the branch', () => {
    store().addNode('branch', { x: 0, y: 0 });
    store().addNode('output', { x: 0, y: 0 });
    store().connect({ source: 'branch_1', target: 'output', branch: 'yes' });
    store().connect({ source: 'branch_1', target: 'output', branch: 'no' });
    expect(store().document.edges).toEqual([
      { source: 'branch_1', target: 'output', branch: 'yes' },
      { source: 'branch_1', target: 'output', branch: 'no' },
    ]);
    store().updateNode('branch_1', { branches: ['yes', 'maybe'] });
    expect(store().document.edges).toEqual([{ source: 'branch_1', target: 'output', branch: 'yes' }]);
  });

  it('removes nodes together with their edges, and undo brings both back', () => {
    store().addNode('input', { x: 0, y: 0 });
    store().addNode('python', { x: 0, y: 0 });
    store().addNode('output', { x: 0, y: 0 });
    store().connect({ source: 'input', target: 'python_1' });
    store().connect({ source: 'python_1', target: 'output' });
    const before = store().document;
    store().removeNodes(['python_1']);
    expect(store().document.nodes.map((n) => n.id)).toEqual(['input', 'output']);
    expect(store().document.edges).toEqual([]);
    store().undo();
    expect(store().document).toEqual(before);
    store().redo();
    expect(store().document.edges).toEqual([]);
  });

  it('deletes the multi-selection of nodes and edges at once', () => {
    store().addNode('input', { x: 0, y: 0 });
    store().addNode('python', { x: 0, y: 0 });
    store().addNode('output', { x: 0, y: 0 });
    store().connect({ source: 'input', target: 'python_1' });
    store().connect({ source: 'input', target: 'output' });
    store().select(['python_1'], [edgeKey({ source: 'input', target: 'output' })]);
    store().removeSelection();
    expect(store().document.nodes.map((n) => n.id)).toEqual(['input', 'output']);
    expect(store().document.edges).toEqual([]);
    expect(store().selectedNodeIds).toEqual([]);
  });

  it('merges fast typing in one field into one undo step, but not slow edits', () => {
    vi.useFakeTimers();
    store().addNode('python', { x: 0, y: 0 });
    store().updateNode('python_1', { code: 'a' });
    vi.advanceTimersByTime(100);
    store().updateNode('python_1', { code: 'ab' });
    vi.advanceTimersByTime(100);
    store().updateNode('python_1', { code: 'abc' });
    vi.advanceTimersByTime(COALESCE_MS + 1);
    store().updateNode('python_1', { code: 'abcd' });
    store().undo();
    expect(store().document.nodes[0]).toMatchObject({ code: 'abc' });
    store().undo();
    expect(store().document.nodes[0]).toMatchObject({ code: 'def process(data, ctx):\n    return data\n' });
  });

  it('does not merge edits of different fields', () => {
    store().addNode('python', { x: 0, y: 0 });
    store().updateNode('python_1', { timeoutMs: 1000 });
    store().updateNode('python_1', { network: true });
    store().undo();
    expect(store().document.nodes[0]).toMatchObject({ timeoutMs: 1000, network: false });
  });

  it('renames a node with its edges and validates the new id', () => {
    store().addNode('input', { x: 0, y: 0 });
    store().addNode('python', { x: 0, y: 0 });
    store().connect({ source: 'input', target: 'python_1' });
    expect(store().renameNode('python_1', 'Bad-Id')).toMatch(/lowercase/);
    expect(store().renameNode('python_1', 'input')).toMatch(/already exists/);
    expect(store().renameNode('python_1', 'features')).toBeNull();
    expect(store().document.edges).toEqual([{ source: 'input', target: 'features' }]);
    expect(store().selectedNodeId).toBe('features');
  });

  it('records a drag as one undo step', () => {
    store().addNode('python', { x: 0, y: 0 });
    store().checkpoint();
    store().moveNodes({ python_1: { x: 5, y: 5 } });
    store().moveNodes({ python_1: { x: 50, y: 60 } });
    expect(store().document.nodes[0]?.position).toEqual({ x: 50, y: 60 });
    store().undo();
    expect(store().document.nodes[0]?.position).toEqual({ x: 0, y: 0 });
  });

  it('a new edit clears the redo stack', () => {
    store().addNode('python', { x: 0, y: 0 });
    store().undo();
    expect(store().future).toHaveLength(1);
    store().addNode('model', { x: 0, y: 0 });
    expect(store().future).toHaveLength(0);
    store().redo();
    expect(store().document.nodes.map((n) => n.id)).toEqual(['model_1']);
  });

  it('the structure panels read ignores drags but follows every other edit', () => {
    store().addNode('python', { x: 0, y: 0 });
    const before = store().structure;
    store().moveNodes({ python_1: { x: 90, y: 90 } });
    expect(store().structure).toBe(before);
    store().updateNode('python_1', { code: 'x' });
    expect(store().structure).toBe(store().document);
  });
});

describe('validation, derived from the structure', () => {
  const validated: GraphDocument[] = [];
  const counting = (doc: GraphDocument) => {
    validated.push(doc);
    return validateGraph(doc);
  };
  beforeEach(() => {
    validated.length = 0;
    graph = createGraphStore({ document: emptyDocument('checked'), validate: counting });
  });

  it('lists the problems of the document by node, and follows each edit', () => {
    store().addNode('python', { x: 0, y: 0 });
    expect(store().validation.problems.map((p) => p.message)).toEqual([
      'a graph needs exactly one input node, found 0',
      'a graph needs exactly one output node, found 0',
    ]);
    store().updateNode('python_1', { timeoutMs: -1 });
    expect(store().validation.byNode.get('python_1')?.join()).toMatch(/too small|>0/);
    store().undo();
    expect(store().validation.byNode.get('python_1')).toBeUndefined();
  });

  it('does not validate again while nodes only move, nor on undoing a move', () => {
    store().addNode('python', { x: 0, y: 0 });
    const before = store().validation;
    const count = validated.length;
    store().checkpoint();
    for (let x = 1; x <= 20; x++) store().moveNodes({ python_1: { x, y: x } });
    store().undo();
    expect(validated.length).toBe(count);
    expect(store().validation).toBe(before);
    expect(store().document.nodes[0]?.position).toEqual({ x: 0, y: 0 });
  });

  it('finds nothing before the validator has loaded, and everything once it has', () => {
    graph = createGraphStore({ document: { ...emptyDocument('late'), edges: [{ source: 'a', target: 'b' }] } });
    expect(store().validation.problems).toEqual([]);
    store().setValidator(validateGraph);
    expect(store().validation.problems.map((p) => p.path)).toContain('edges[0].source');
  });
});
