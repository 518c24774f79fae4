import { render, type RenderResult } from '@testing-library/react';
import type { ReactNode } from 'react';
import { createGraphStore, type GraphStore } from './graphStore.ts';
import { GraphStoreProvider } from './GraphStoreProvider.tsx';
import type { GraphDocument } from '@plinth/shared/graph';

/** For component tests: render inside an editor whose store holds `document` (or a given store). */
export function renderWithStore(ui: ReactNode, from: GraphDocument | GraphStore): RenderResult & { store: GraphStore } {
  const store = 'getState' in from ? from : createGraphStore({ document: from });
  const result = render(ui, {
    wrapper: ({ children }) => <GraphStoreProvider store={store}>{children}</GraphStoreProvider>,
  });
  return { ...result, store };
}
