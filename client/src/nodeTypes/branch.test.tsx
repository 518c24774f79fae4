import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, screen } from '@testing-library/react';
import type { BranchNode } from '@plinth/shared/graph';
import { createGraphStore, emptyDocument, type GraphStore } from '../store/graphStore.ts';
import { renderWithStore } from '../store/renderWithStore.tsx';
import { BranchListForm } from './branch.tsx';

afterEach(cleanup);
// jsdom has <dialog> but not its modal methods.
if (!('showModal' in HTMLDialogElement.prototype)) {
  Object.assign(HTMLDialogElement.prototype, {
    showModal(this: HTMLDialogElement) {
      this.open = true;
    },
    close(this: HTMLDialogElement) {
      this.open = false;
    },
  });
}

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

  it('removing a branch asks first, then removes the edges it labelled, and undo brings both back', () => {
    const { rerender } = renderWithStore(<BranchListForm node={branchNode()} />, store);
    fireEvent.click(screen.getByRole('button', { name: 'Remove branch no' }));
    expect(screen.getByTestId('confirm-dialog').textContent).toContain('Its edge goes with it.');
    fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(branchNode().branches).toEqual(['yes', 'no']);
    rerender(<BranchListForm node={branchNode()} />);
    fireEvent.click(screen.getByRole('button', { name: 'Remove branch no' }));
    fireEvent.click(screen.getByRole('button', { name: 'Remove no' }));
    expect(branchNode().branches).toEqual(['yes']);
    expect(store.getState().document.edges).toEqual([]);
    store.getState().undo();
    expect(branchNode().branches).toEqual(['yes', 'no']);
    expect(store.getState().document.edges).toEqual([{ source: 'branch_1', target: 'output', branch: 'no' }]);
  });

  it('renaming a branch relabels its edges; an empty or duplicate name is refused with why', () => {
    const { rerender } = renderWithStore(<BranchListForm node={branchNode()} />, store);
    const field = screen.getByLabelText('Branch 2');
    fireEvent.change(field, { target: { value: 'non' } });
    expect(branchNode().branches).toEqual(['yes', 'non']);
    expect(store.getState().document.edges).toEqual([{ source: 'branch_1', target: 'output', branch: 'non' }]);
    rerender(<BranchListForm node={branchNode()} />);
    fireEvent.change(screen.getByLabelText('Branch 2'), { target: { value: 'yes' } });
    expect(screen.getByRole('alert').textContent).toBe('There is already a branch "yes". Still "non".');
    expect(branchNode().branches).toEqual(['yes', 'non']);
    fireEvent.change(screen.getByLabelText('Branch 2'), { target: { value: '' } });
    expect(screen.getByRole('alert').textContent).toBe('A branch needs a name. Still "non".');
    expect(store.getState().document.edges).toHaveLength(1);
  });
});
