import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, screen } from '@testing-library/react';
import { createGraphStore, emptyDocument } from '../store/graphStore.ts';
import { renderWithStore } from '../store/renderWithStore.tsx';
import { NodeIdField } from './NodeIdField.tsx';

afterEach(cleanup);

describe('NodeIdField', () => {
  it('renames a node only to a valid, free id', () => {
    const store = createGraphStore({ document: emptyDocument('ids') });
    store.getState().addNode('branch', { x: 0, y: 0 });
    store.getState().addNode('output', { x: 0, y: 0 });
    store.getState().connect({ source: 'branch_1', target: 'output', branch: 'no' });
    renderWithStore(<NodeIdField nodeId="branch_1" />, store);
    const field = screen.getByLabelText('Node id');
    fireEvent.change(field, { target: { value: 'output' } });
    fireEvent.submit(field);
    expect(screen.getByRole('alert').textContent).toMatch(/already exists/);
    fireEvent.change(field, { target: { value: 'Bad-Id' } });
    fireEvent.submit(field);
    expect(screen.getByRole('alert').textContent).toMatch(/lowercase letters/);
    fireEvent.change(field, { target: { value: 'decide' } });
    fireEvent.submit(field);
    expect(store.getState().document.edges).toEqual([{ source: 'decide', target: 'output', branch: 'no' }]);
  });
});
