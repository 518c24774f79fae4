import { afterEach, describe, expect, it } from 'vitest';
import { cleanup } from '@testing-library/react';
import { validateGraph } from '@plinth/shared';
import { NODE_TYPES, isCodeNode, nodeTypes } from '@plinth/shared/graph';
import { createGraphStore, emptyDocument } from '../store/graphStore.ts';
import { renderWithStore } from '../store/renderWithStore.tsx';
import { nodeTypeViewOf, nodeTypeViews } from './index.ts';

afterEach(cleanup);

/** A graph with one node of every type, each added as the palette adds it. */
function oneOfEach() {
  const store = createGraphStore({ document: emptyDocument('every-type') });
  for (const type of NODE_TYPES) store.getState().addNode(type, { x: 0, y: 0 });
  return store;
}

describe('the IDE node-type registry', () => {
  it('has a view for every node type shared/ defines, and for nothing else', () => {
    expect(Object.keys(nodeTypeViews).sort()).toEqual(Object.keys(nodeTypes).sort());
    for (const type of NODE_TYPES) {
      expect(nodeTypeViews[type].label, type).not.toBe('');
      expect(nodeTypeViews[type].icon, type).not.toBe('');
      expect(nodeTypeViews[type].help, type).not.toBe('');
    }
  });

  it("summarises a code node by its docstring's first line, never by its signature", () => {
    const store = oneOfEach();
    const python = store.getState().document.nodes.find((n) => n.type === 'python');
    if (python?.type !== 'python') throw new Error('no python node');
    expect(nodeTypeViewOf(python).summary(python)).toBe('');
    const documented = { ...python, code: 'def process(data, ctx):\n    """Add the fee."""\n    return data\n' };
    expect(nodeTypeViewOf(documented).summary({ ...documented, requirements: ['numpy'] })).toBe('Add the fee. · 1 req');
  });

  it('a node of each type, as the palette creates it, is valid', () => {
    const store = oneOfEach();
    // A graph's output must be reached from its input; the nodes themselves need nothing.
    store.getState().connect({ source: 'input', target: 'output' });
    const { document } = store.getState();
    expect(document.nodes.map((n) => n.type)).toEqual([...NODE_TYPES]);
    const result = validateGraph(document);
    expect(result.ok ? [] : result.problems).toEqual([]);
  });

  it('says how to edit the code of exactly the code nodes, and summarises and renders every node', () => {
    const store = oneOfEach();
    for (const node of store.getState().document.nodes) {
      const view = nodeTypeViewOf(node);
      expect(view.code !== undefined, node.type).toBe(isCodeNode(node));
      // A new code node has no docstring yet: its id says what it is.
      if (!isCodeNode(node)) expect(view.summary(node), node.type).not.toBe('');
      if (view.Form === undefined) continue;
      const { container, unmount } = renderWithStore(<view.Form node={node} />, store);
      expect(container.textContent, node.type).not.toBe('');
      unmount();
    }
  });
});
