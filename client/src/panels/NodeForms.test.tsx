import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import type { BranchNode } from '@plinth/shared';
import { emptyDocument, useGraphStore } from '../store/graphStore.ts';
import { BranchListForm } from './NodeForms.tsx';
import { JsonField } from './JsonField.tsx';
import { NodeIdField } from './NodeIdField.tsx';

afterEach(cleanup);

describe('JsonField', () => {
  it('applies parseable JSON and explains what does not parse, keeping the last good value', () => {
    const seen: unknown[] = [];
    render(<JsonField label="Example input" value={{ a: 1 }} onChange={(v) => seen.push(v)} />);
    const box = screen.getByLabelText('Example input');
    fireEvent.change(box, { target: { value: '{"a": 2' } });
    expect(screen.getByRole('alert').textContent).toMatch(/Not valid JSON/);
    expect(box.getAttribute('aria-invalid')).toBe('true');
    fireEvent.change(box, { target: { value: '{"a": 2}' } });
    expect(seen).toEqual([{ a: 2 }]);
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('refuses a value its check rejects', () => {
    const seen: unknown[] = [];
    render(
      <JsonField
        label="Schema"
        value={{}}
        onChange={(v) => seen.push(v)}
        check={(v) => (Array.isArray(v) ? 'no arrays' : null)}
      />,
    );
    fireEvent.change(screen.getByLabelText('Schema'), { target: { value: '[1]' } });
    expect(screen.getByRole('alert').textContent).toBe('no arrays');
    expect(seen).toEqual([]);
  });

  it('follows a value changed elsewhere (undo)', () => {
    const { rerender } = render(<JsonField label="X" value={{ a: 1 }} onChange={() => undefined} />);
    rerender(<JsonField label="X" value={{ b: 2 }} onChange={() => undefined} />);
    expect(screen.getByLabelText<HTMLTextAreaElement>('X').value).toBe('{\n  "b": 2\n}');
  });
});

describe('branch and id forms', () => {
  beforeEach(() => {
    const store = useGraphStore.getState();
    store.setDocument(emptyDocument('forms'));
    store.addNode('branch', { x: 0, y: 0 });
    store.addNode('output', { x: 0, y: 0 });
    store.connect({ source: 'branch_1', target: 'output', branch: 'no' });
  });
  const branchNode = () => useGraphStore.getState().document.nodes[0] as BranchNode;

  it('adds a branch with Enter and refuses a duplicate', () => {
    const { rerender } = render(<BranchListForm node={branchNode()} />);
    const field = screen.getByLabelText('New branch');
    fireEvent.change(field, { target: { value: 'maybe' } });
    fireEvent.keyDown(field, { key: 'Enter' });
    expect(branchNode().branches).toEqual(['yes', 'no', 'maybe']);
    rerender(<BranchListForm node={branchNode()} />);
    fireEvent.change(screen.getByLabelText('New branch'), { target: { value: 'yes' } });
    expect(screen.getByText(/already a branch "yes"/)).toBeTruthy();
    expect(screen.getByRole<HTMLButtonElement>('button', { name: 'Add branch' }).disabled).toBe(true);
  });

  it('removing a branch removes the edges it labelled', () => {
    render(<BranchListForm node={branchNode()} />);
    fireEvent.click(screen.getByRole('button', { name: 'Remove branch no' }));
    expect(branchNode().branches).toEqual(['yes']);
    expect(useGraphStore.getState().document.edges).toEqual([]);
  });

  it('renames a node only to a valid, free id', () => {
    render(<NodeIdField nodeId="branch_1" />);
    const field = screen.getByLabelText('Node id');
    fireEvent.change(field, { target: { value: 'output' } });
    fireEvent.submit(field);
    expect(screen.getByRole('alert').textContent).toMatch(/already exists/);
    fireEvent.change(field, { target: { value: 'decide' } });
    fireEvent.submit(field);
    expect(useGraphStore.getState().document.edges).toEqual([{ source: 'decide', target: 'output', branch: 'no' }]);
  });
});
