import { render, type RenderResult } from '@testing-library/react';
import type { ReactNode } from 'react';
import { QueryClientProvider } from '@tanstack/react-query';
import { createPlinthClient, createQueryClient, TRPCProvider } from '../api/trpc.ts';
import { createGraphStore, type GraphStore } from './graphStore.ts';
import { GraphStoreProvider } from './GraphStoreProvider.tsx';
import type { GraphDocument } from '@plinth/shared/graph';

/** For component tests: render inside an editor whose store holds `document` (or a given store). */
export function renderWithStore(ui: ReactNode, from: GraphDocument | GraphStore): RenderResult & { store: GraphStore } {
  const store = 'getState' in from ? from : createGraphStore({ document: from });
  // Panels that ask the server (the model node's) get a tRPC client with no server behind it.
  const queryClient = createQueryClient();
  const trpcClient = createPlinthClient(() => null, 'http://127.0.0.1:9');
  const result = render(ui, {
    wrapper: ({ children }) => (
      <QueryClientProvider client={queryClient}>
        <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
          <GraphStoreProvider store={store}>{children}</GraphStoreProvider>
        </TRPCProvider>
      </QueryClientProvider>
    ),
  });
  return { ...result, store };
}
