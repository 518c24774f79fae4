import { useCallback } from 'react';
import type { GraphNode } from '@plinth/shared';
import { useGraphStore } from '../store/graphStore.ts';

/** The document store's `updateNode`, as a stable callback. */
export function useUpdateNode(): (id: string, patch: Partial<GraphNode>) => void {
  return useCallback((id, patch) => useGraphStore.getState().updateNode(id, patch), []);
}
