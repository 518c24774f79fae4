import { createContext, useContext, useState, type ReactNode } from 'react';
import { useStore } from 'zustand';
import type { GraphDocument, GraphNode } from '@plinth/shared/graph';
import type { GraphState, GraphStore } from './graphStore.ts';
import type { Validation } from './locateProblems.ts';
import { createRunStore, type RunState, type RunStore } from './runStore.ts';

const GraphStoreContext = createContext<GraphStore | null>(null);
const RunStoreContext = createContext<RunStore | null>(null);

/**
 * Hands one editor's graph store (and its run state, kept apart from the document) to the
 * components below, as React Flow's `ReactFlowProvider` does with its store. Two providers
 * are two independent editors.
 */
export function GraphStoreProvider(props: { store: GraphStore; runs?: RunStore; children: ReactNode }) {
  const [ownRuns] = useState(createRunStore);
  return (
    <GraphStoreContext.Provider value={props.store}>
      <RunStoreContext.Provider value={props.runs ?? ownRuns}>{props.children}</RunStoreContext.Provider>
    </GraphStoreContext.Provider>
  );
}

function required<T>(value: T | null, hook: string): T {
  if (value === null) throw new Error(`${hook}() outside a GraphStoreProvider`);
  return value;
}

/** The editor's graph store itself, for event handlers (`getState()`); render through `useGraphStore`. */
export function useGraphStoreApi(): GraphStore {
  return required(useContext(GraphStoreContext), 'useGraphStoreApi');
}

/** A narrow slice of the editor's graph state; the component re-renders only when the slice changes. */
export function useGraphStore<T>(selector: (state: GraphState) => T): T {
  return useStore(useGraphStoreApi(), selector);
}

/** The editor's run state itself, for starting runs. */
export function useRunStoreApi(): RunStore {
  return required(useContext(RunStoreContext), 'useRunStoreApi');
}

/** A narrow slice of the editor's run state. */
export function useRunStore<T>(selector: (state: RunState) => T): T {
  return useStore(useRunStoreApi(), selector);
}

/** The document being edited, minus drags (see `GraphState.structure`). */
export function useDocumentStructure(): GraphDocument {
  return useGraphStore((s) => s.structure);
}

/** The problems of the document being edited, by node and edge. */
export function useValidation(): Validation {
  return useGraphStore((s) => s.validation);
}

/**
 * The node the side panel shows, or null. Moving it on the canvas does not change
 * it (its `position` may be stale), so a drag does not re-render the panels.
 */
export function useSelectedNode(): GraphNode | null {
  return useGraphStore((s) => s.structure.nodes.find((n) => n.id === s.selectedNodeId) ?? null);
}
