import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GraphDocumentSchema, type CodeNode } from '@plinth/shared';
import { useGraphStore } from '../store/graphStore.ts';
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

function current(id: string): CodeNode {
  const node = useGraphStore.getState().document.nodes.find((n) => n.id === id);
  if (node?.type !== 'python' && node?.type !== 'branch') throw new Error(`no code node ${id}`);
  return node;
}

beforeEach(() => useGraphStore.getState().setDocument(doc));
afterEach(cleanup);

describe('NodeSettingsFields', () => {
  it('edits a python node’s requirements, one per line, in the document', () => {
    render(<NodeSettingsFields node={current('features')} />);
    fireEvent.change(screen.getByLabelText('Requirements (one per line)'), {
      target: { value: 'numpy==2.3.1\n\n# a comment\n  pandas>=2 \n' },
    });
    expect(current('features')).toMatchObject({ requirements: ['numpy==2.3.1', 'pandas>=2'] });
  });

  it('edits the timeout and the network permission', () => {
    render(<NodeSettingsFields node={current('features')} />);
    fireEvent.change(screen.getByLabelText('Timeout (ms)'), { target: { value: '12000' } });
    fireEvent.click(screen.getByLabelText('Allow network access'));
    expect(current('features')).toMatchObject({ timeoutMs: 12000, network: true });
  });

  it('refuses a timeout outside 1..300000 ms, keeping the last good one', () => {
    render(<NodeSettingsFields node={current('features')} />);
    fireEvent.change(screen.getByLabelText('Timeout (ms)'), { target: { value: '0' } });
    fireEvent.change(screen.getByLabelText('Timeout (ms)'), { target: { value: '400000' } });
    expect(current('features').timeoutMs).toBe(5000);
  });

  it('offers a branch node only its timeout: no requirements, no network', () => {
    render(<NodeSettingsFields node={current('decide')} />);
    expect(screen.getByLabelText('Timeout (ms)')).toBeTruthy();
    expect(screen.queryByLabelText('Requirements (one per line)')).toBeNull();
    expect(screen.queryByLabelText('Allow network access')).toBeNull();
  });
});

describe('parseRequirements', () => {
  it('keeps requirement lines and drops blanks and comments', () => {
    expect(parseRequirements('a==1\n\n  # note\nb\n')).toEqual(['a==1', 'b']);
  });
});
