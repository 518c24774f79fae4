import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, screen } from '@testing-library/react';
import type { BranchNode } from '@plinth/shared/graph';
import { createGraphStore, emptyDocument, type GraphStore } from '../store/graphStore.ts';
import { renderWithStore } from '../store/renderWithStore.tsx';
import { BranchListForm } from './branch.tsx';

afterEach(cleanup);

describe('the branch node form', () => {
  let store: GraphStore;
  beforeEach(() => {
    store = createGraphStore({ document: emptyDocument('forms') });
    store.getState().addNode('branch', { x: 0, y: 0 });
    store.getState().addNode('output', { x: 0, y: 0 });
    store.getState().connect({ source: 'branch_1', target: 'output', branch: 'no' });
  });
  const branchNode = () => store.getState().document.nodes[0] as BranchNode;

  it('adds a branch with Enter and refuses a duplicate', () => {
    const { rerender } = renderWithStore(<BranchListForm node={branchNode()} />, store);
    const field = screen.getByLabelText('New branch');
    fireEvent.change(field, { target: { value: 'maybe' } });
    fireEvent.keyDown(field, { key: 'Enter' });
    expect(branchNode().branches).toEqual(['yes', 'no', 'maybe']);
    rerender(<BranchListForm node={branchNode()} />);
    fireEvent.change(screen.getByLabelText('New branch'), { target: { value: 'yes' } });
    expect(screen.getByText(/already a branch/).textContent).toBe('There is already a branch "yes".');
    expect(screen.getByRole<HTMLButtonElement>('button', { name: 'Add branch' }).disabled).toBe(true);
  });

  it('removing a branch removes the edges it labelled', () => {
    renderWithStore(<BranchListForm node={branchNode()} />, store);
    fireEvent.click(screen.getByRole('button', { name: 'Remove branch no' }));
    expect(branchNode().branches).toEqual(['yes']);
    expect(store.getState().document.edges).toEqual([]);
  });
});
