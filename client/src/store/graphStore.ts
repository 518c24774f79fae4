import { createStore, type StoreApi } from 'zustand/vanilla';
import type { Problem } from '@plinth/shared';
import type { GraphDocument, GraphNode, NodeType, Position } from '@plinth/shared/graph';
import {
  edgeKey,
  emptyDocument,
  withBranchRenamed,
  withEdge,
  withNodeRenamed,
  withNodeUpdated,
  without,
  withPositions,
  type ConnectRequest,
} from './documentEdits.ts';
import { locateProblems, NOT_VALIDATED_YET, type Validation } from './locateProblems.ts';
import { createNode, nextNodeId } from './nodeDefaults.ts';
import { onlyPositionsDiffer } from './onlyPositionsDiffer.ts';

export { edgeKey, emptyDocument, type ConnectRequest } from './documentEdits.ts';

/** How long successive edits of the same fields of one node merge into one undo step. */
export const COALESCE_MS = 500;
const HISTORY_LIMIT = 200;

/** `validateGraph` of `@plinth/shared`, handed in once it has loaded (it brings zod and Ajv). */
export type GraphValidator = (doc: GraphDocument) => { ok: true } | { ok: false; problems: Problem[] };

export interface GraphState {
  /** The `plinth.graph/v1` document being edited, node positions included. */
  document: GraphDocument;
  /**
   * The document as panels need it: a new object when anything but node positions changes,
   * so dragging nodes re-renders (and re-validates) nothing else. Its positions may be stale.
   */
  structure: GraphDocument;
  /** The problems of `structure`, by node and edge; none until the validator has loaded. */
  validation: Validation;
  /** The node whose details the side panel shows. */
  selectedNodeId: string | null;
  /** Every selected node and edge (multi-select); edges by `edgeKey`. */
  selectedNodeIds: readonly string[];
  selectedEdgeKeys: readonly string[];
  past: readonly GraphDocument[];
  future: readonly GraphDocument[];
  /**
   * The edge paths auto-layout found (by `edgeKey`), for the node positions it chose: the canvas
   * draws them while every node is still there, not kept in the document.
   */
  edgeRoutes: { positions: Readonly<Record<string, Position>>; routes: Readonly<Record<string, Position[]>> } | null;
  setEdgeRoutes: (routes: GraphState['edgeRoutes']) => void;

  /** Replace the document (loading a graph); clears history unless `keepHistory`. */
  setDocument: (document: GraphDocument, opts?: { keepHistory?: boolean }) => void;
  /** One undo step per call; fast successive edits of the same fields of one node are merged. */
  updateNode: (id: string, patch: Partial<GraphNode>) => void;
  /** Rename a node, rewriting its edges. Returns an error message, or null when done. */
  renameNode: (id: string, newId: string) => string | null;
  /**
   * Rename branch `index` of branch node `id`, relabelling its edges (typing merges into one undo
   * step). Returns an error message (and changes nothing), or null when done.
   */
  renameBranch: (id: string, index: number, name: string) => string | null;
  addNode: (type: NodeType, position: Position) => string;
  /** Add an edge; a no-op (returning false) for an exact duplicate or a self-loop. */
  connect: (request: ConnectRequest) => boolean;
  removeNodes: (ids: readonly string[]) => void;
  removeEdges: (keys: readonly string[]) => void;
  /** Delete whatever is selected (nodes with their edges, and edges). */
  removeSelection: () => void;
  /** Move nodes without recording history; call `checkpoint()` once before a drag. */
  moveNodes: (positions: Readonly<Record<string, Position>>) => void;
  /** Record the current document as an undo step (e.g. when a drag starts). */
  checkpoint: () => void;
  setDescription: (description: string) => void;
  /** The names of the secrets the graph declares (what its code may read from `ctx.secrets`). */
  setSecrets: (names: readonly string[]) => void;
  select: (nodeIds: readonly string[], edgeKeys?: readonly string[]) => void;
  undo: () => void;
  redo: () => void;
  /** Validate with this from now on (see `GraphValidator`). */
  setValidator: (validate: GraphValidator) => void;
}

export type GraphStore = StoreApi<GraphState>;

/**
 * The store of one editor: its document, selection and undo history, and what follows from
 * the document (structure, validation). Each editor creates its own and hands it down with
 * `GraphStoreProvider`; nothing here is shared between editors.
 */
export function createGraphStore(options: { document?: GraphDocument; validate?: GraphValidator } = {}): GraphStore {
  let validate = options.validate ?? null;
  // Coalescing bookkeeping lives outside the state: it must not trigger renders.
  let lastEdit: { key: string; at: number } | null = null;

  const check = (doc: GraphDocument): Validation => {
    if (validate === null) return NOT_VALIDATED_YET;
    const result = validate(doc);
    return locateProblems(doc, result.ok ? [] : result.problems);
  };

  return createStore<GraphState>()((set, get) => {
    /** The document and what follows from it; structure and validation stay as they are across a drag. */
    function derive(document: GraphDocument): Pick<GraphState, 'document' | 'structure' | 'validation'> {
      const { structure, validation } = get();
      if (document === structure || onlyPositionsDiffer(structure, document)) {
        return { document, structure, validation };
      }
      return { document, structure: document, validation: check(document) };
    }

    /** Keep the selection pointing at things that exist. */
    function pruneSelection(doc: GraphDocument): Partial<GraphState> {
      const ids = new Set(doc.nodes.map((n) => n.id));
      const keys = new Set(doc.edges.map(edgeKey));
      const { selectedNodeId, selectedNodeIds, selectedEdgeKeys } = get();
      return {
        selectedNodeId: selectedNodeId !== null && ids.has(selectedNodeId) ? selectedNodeId : null,
        selectedNodeIds: selectedNodeIds.filter((id) => ids.has(id)),
        selectedEdgeKeys: selectedEdgeKeys.filter((k) => keys.has(k)),
      };
    }

    /** Apply a change to the document as one undo step (or merged into the last one). */
    function commit(next: GraphDocument, coalesceKey?: string): void {
      const { document, past } = get();
      if (next === document) return;
      const now = Date.now();
      const merge =
        coalesceKey !== undefined &&
        lastEdit !== null &&
        lastEdit.key === coalesceKey &&
        now - lastEdit.at < COALESCE_MS;
      lastEdit = coalesceKey === undefined ? null : { key: coalesceKey, at: now };
      set({ ...derive(next), past: merge ? past : [...past, document].slice(-HISTORY_LIMIT), future: [] });
    }

    /** Commit a removal and drop what it removed from the selection. */
    function commitRemoval(next: GraphDocument): void {
      if (next === get().document) return;
      commit(next);
      set(pruneSelection(next));
    }

    const initial = options.document ?? emptyDocument();
    return {
      document: initial,
      structure: initial,
      validation: check(initial),
      selectedNodeId: null,
      selectedNodeIds: [],
      selectedEdgeKeys: [],
      past: [],
      future: [],
      edgeRoutes: null,

      setEdgeRoutes(edgeRoutes) {
        set({ edgeRoutes });
      },

      setDocument(document, opts) {
        lastEdit = null;
        set({ ...derive(document), ...(opts?.keepHistory ? {} : { past: [], future: [] }) });
        set(pruneSelection(document));
      },

      updateNode(id, patch) {
        commit(withNodeUpdated(get().document, id, patch), `${id}:${Object.keys(patch).sort().join(',')}`);
      },

      renameNode(id, newId) {
        const renamed = withNodeRenamed(get().document, id, newId);
        if (!renamed.ok) return renamed.message;
        commit(renamed.document);
        const { selectedNodeId, selectedNodeIds } = get();
        set({
          selectedNodeId: selectedNodeId === id ? newId : selectedNodeId,
          selectedNodeIds: selectedNodeIds.map((s) => (s === id ? newId : s)),
        });
        return null;
      },

      renameBranch(id, index, name) {
        const renamed = withBranchRenamed(get().document, id, index, name);
        if (!renamed.ok) return renamed.message;
        commit(renamed.document, `${id}:branches`);
        return null;
      },

      addNode(type, position) {
        const doc = get().document;
        const id = nextNodeId(type, doc.nodes);
        commit({ ...doc, nodes: [...doc.nodes, createNode(type, id, position)] });
        set({ selectedNodeId: id, selectedNodeIds: [id], selectedEdgeKeys: [] });
        return id;
      },

      connect(request) {
        const doc = get().document;
        const next = withEdge(doc, request);
        commit(next);
        return next !== doc;
      },

      removeNodes(ids) {
        commitRemoval(without(get().document, new Set(ids), new Set()));
      },

      removeEdges(keys) {
        commitRemoval(without(get().document, new Set(), new Set(keys)));
      },

      removeSelection() {
        const { document, selectedNodeIds, selectedEdgeKeys } = get();
        commitRemoval(without(document, new Set(selectedNodeIds), new Set(selectedEdgeKeys)));
      },

      moveNodes(positions) {
        const doc = get().document;
        const next = withPositions(doc, positions);
        // Only positions change: structure and validation keep their identity, no comparison needed.
        if (next !== doc) set({ document: next });
      },

      checkpoint() {
        const { document, past } = get();
        lastEdit = null;
        set({ past: [...past, document].slice(-HISTORY_LIMIT), future: [] });
      },

      setDescription(description) {
        commit({ ...get().document, description }, 'graph:description');
      },

      setSecrets(names) {
        commit({ ...get().document, secrets: [...names] });
      },

      select(nodeIds, edgeKeys = []) {
        const { selectedNodeId } = get();
        const stillSelected = selectedNodeId !== null && nodeIds.includes(selectedNodeId);
        set({
          selectedNodeIds: nodeIds,
          selectedEdgeKeys: edgeKeys,
          selectedNodeId: stillSelected ? selectedNodeId : (nodeIds[nodeIds.length - 1] ?? null),
        });
      },

      undo() {
        const { past, future, document } = get();
        const previous = past[past.length - 1];
        if (previous === undefined) return;
        lastEdit = null;
        set({ ...derive(previous), past: past.slice(0, -1), future: [document, ...future] });
        set(pruneSelection(previous));
      },

      redo() {
        const { past, future, document } = get();
        const next = future[0];
        if (next === undefined) return;
        lastEdit = null;
        set({ ...derive(next), past: [...past, document], future: future.slice(1) });
        set(pruneSelection(next));
      },

      setValidator(next) {
        validate = next;
        set({ validation: check(get().structure) });
      },
    };
  });
}
