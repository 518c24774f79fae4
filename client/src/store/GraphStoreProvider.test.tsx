import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { validateGraph } from '@plinth/shared';
import type { GraphDocument } from '@plinth/shared/graph';
import { QueryClientProvider } from '@tanstack/react-query';
import { createTRPCClient, httpBatchLink } from '@trpc/client';
import { createQueryClient, TRPCProvider, type AppRouter } from '../api/trpc.ts';
import { NodePanel } from '../panels/NodePanel.tsx';
import { createGraphStore, type GraphStore } from './graphStore.ts';
import { createNode } from './nodeDefaults.ts';
import { GraphStoreProvider, useRunStoreApi } from './GraphStoreProvider.tsx';
import type { RunStore } from './runStore.ts';

afterEach(cleanup);

function graph(name: string, description: string): GraphDocument {
  return {
    format: 'plinth.graph/v1',
    name,
    description,
    keepRunPayloads: true,
    secrets: [],
    nodes: [
      createNode('input', 'input', { x: 0, y: 0 }),
      createNode('python', 'features', { x: 200, y: 0 }),
      createNode('output', 'output', { x: 400, y: 0 }),
    ],
    edges: [
      { source: 'input', target: 'features' },
      { source: 'features', target: 'output' },
    ],
  };
}

/** Two editors side by side, each with its own store, as two `GraphStoreProvider`s. */
function renderTwoEditors(a: GraphStore, b: GraphStore) {
  const runs: RunStore[] = [];
  const RunProbe = () => {
    runs.push(useRunStoreApi());
    return null;
  };
  // The panel lists the server's secrets: here there is no server, and the list says so.
  const queryClient = createQueryClient();
  const trpcClient = createTRPCClient<AppRouter>({ links: [httpBatchLink({ url: 'http://127.0.0.1:9/trpc' })] });
  render(
    <QueryClientProvider client={queryClient}>
      <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
        {[a, b].map((store, i) => (
          <section key={i} aria-label={`editor ${i === 0 ? 'a' : 'b'}`}>
            <GraphStoreProvider store={store}>
              <NodePanel />
              <RunProbe />
            </GraphStoreProvider>
          </section>
        ))}
      </TRPCProvider>
    </QueryClientProvider>,
  );
  return {
    a: within(screen.getByRole('region', { name: 'editor a' })),
    b: within(screen.getByRole('region', { name: 'editor b' })),
    runs,
  };
}

describe('two editors open at once', () => {
  it('each edits its own document, selection, history and validation', async () => {
    const user = userEvent.setup();
    const a = createGraphStore({ document: graph('left', 'the left one'), validate: validateGraph });
    const b = createGraphStore({ document: graph('right', 'the right one'), validate: validateGraph });
    const untouched = b.getState().document;
    const view = renderTwoEditors(a, b);

    await user.type(view.a.getByLabelText('Graph description'), ', edited');
    expect(a.getState().document.description).toBe('the left one, edited');
    expect(view.b.getByLabelText<HTMLInputElement>('Graph description').value).toBe('the right one');

    // Selecting and renaming a node in one editor leaves the other's selection and document alone.
    a.getState().select(['features']);
    const idField = await view.a.findByLabelText('Node id');
    await user.clear(idField);
    await user.type(idField, 'clean_up{Enter}');
    expect(a.getState().document.edges).toContainEqual({ source: 'input', target: 'clean_up' });
    expect(view.b.queryByLabelText('Node id')).toBeNull();
    expect(view.b.getByTestId('node-panel-empty').textContent).toContain('Select a node to edit it.');

    // A problem drawn into one editor shows in that editor only.
    a.getState().connect({ source: 'clean_up', target: 'input' });
    a.getState().select(['input']);
    expect((await view.a.findByTestId('node-panel-problems')).textContent).toContain(
      'the input node cannot have incoming edges',
    );
    b.getState().select(['input']);
    expect(await view.b.findByLabelText<HTMLInputElement>('Node id')).toHaveProperty('value', 'input');
    expect(view.b.queryByTestId('node-panel-problems')).toBeNull();

    expect(b.getState().document).toBe(untouched);
    expect(b.getState().past).toEqual([]);
    expect(a.getState().past.length).toBeGreaterThan(0);
    expect(new Set(view.runs).size).toBe(2);
  });
});
