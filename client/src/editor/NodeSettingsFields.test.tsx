import { cleanup, fireEvent, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GraphDocumentSchema, isCodeNode, type CodeNode } from '@plinth/shared';
import { createGraphStore, type GraphStore } from '../store/graphStore.ts';
import { renderWithStore } from '../store/renderWithStore.tsx';
import { NodeSettingsFields, parseRequirements } from './NodeSettingsFields.tsx';

const doc = GraphDocumentSchema.parse({
  format: 'plinth.graph/v1',
  name: 'g',
  nodes: [
    { id: 'input', type: 'input' },
    { id: 'features', type: 'python', code: 'def process(data, ctx):\n    return data\n' },
    { id: 'decide', type: 'branch', branches: ['a', 'b'], code: "def process(data, ctx):\n    return 'a'\n" },
    { id: 'output', type: 'output' },
  ],
  edges: [],
});

let store: GraphStore;
beforeEach(() => {
  store = createGraphStore({ document: doc });
});
afterEach(cleanup);

function current(id: string): CodeNode {
  const node = store.getState().document.nodes.find((n) => n.id === id);
  if (node === undefined || !isCodeNode(node)) throw new Error(`no code node ${id}`);
  return node;
}
const render = (id: string) => renderWithStore(<NodeSettingsFields node={current(id)} />, store);

describe('NodeSettingsFields', () => {
  it('edits a python node’s requirements, one per line, in the document', () => {
    render('features');
    fireEvent.change(screen.getByLabelText('Requirements (one per line)'), {
      target: { value: 'numpy==2.3.1\n\n# a comment\n  pandas>=2 \n' },
    });
    expect(current('features')).toMatchObject({ requirements: ['numpy==2.3.1', 'pandas>=2'] });
  });

  it('edits the timeout and the network permission', () => {
    render('features');
    fireEvent.change(screen.getByLabelText('Timeout (ms)'), { target: { value: '12000' } });
    fireEvent.click(screen.getByLabelText('Allow network access'));
    expect(current('features')).toMatchObject({ timeoutMs: 12000, network: true });
  });

  it('refuses a timeout outside 1..300000 ms, keeping the last good one', () => {
    render('features');
    fireEvent.change(screen.getByLabelText('Timeout (ms)'), { target: { value: '0' } });
    fireEvent.change(screen.getByLabelText('Timeout (ms)'), { target: { value: '400000' } });
    expect(current('features').timeoutMs).toBe(5000);
  });

  it('offers a branch node only its timeout: no requirements, no network', () => {
    render('decide');
    expect(screen.getByLabelText<HTMLInputElement>('Timeout (ms)').value).toBe('5000');
    expect(screen.queryByLabelText('Requirements (one per line)')).toBeNull();
    expect(screen.queryByLabelText('Allow network access')).toBeNull();
  });
});

describe('parseRequirements', () => {
  it('keeps requirement lines and drops blanks and comments', () => {
    expect(parseRequirements('a==1\n\n  # note\nb\n')).toEqual(['a==1', 'b']);
  });
});
