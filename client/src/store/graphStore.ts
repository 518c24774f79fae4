import { create } from 'zustand';
import type { GraphDocument, GraphEdge, GraphNode, NodeType } from '@plinth/shared';
import { createNode, nextNodeId } from './nodeDefaults.ts';
import { onlyPositionsDiffer } from './onlyPositionsDiffer.ts';

/** How long successive edits of the same fields of one node merge into one undo step. */
export const COALESCE_MS = 500;
const HISTORY_LIMIT = 200;

export interface Position {
  x: number;
  y: number;
}

export interface ConnectRequest {
  source: string;
  target: string;
  /** Required when `source` is a branch node: which branch routes along this edge. */
  branch?: string;
}

export interface GraphState {
  /** The `plinth.graph/v1` document being edited, node positions included. */
  document: GraphDocument;
  /** The node whose details the side panel shows. */
  selectedNodeId: string | null;
  /** Every selected node and edge (multi-select); edges by `edgeKey`. */
  selectedNodeIds: readonly string[];
  selectedEdgeKeys: readonly string[];
  past: readonly GraphDocument[];
  future: readonly GraphDocument[];

  /** Replace the document (loading a graph); clears history unless `keepHistory`. */
  setDocument: (document: GraphDocument, opts?: { keepHistory?: boolean }) => void;
  /** One undo step per call; fast successive edits of the same fields of one node are merged. */
  updateNode: (id: string, patch: Partial<GraphNode>) => void;
  /** Rename a node, rewriting its edges. Returns an error message, or null when done. */
  renameNode: (id: string, newId: string) => string | null;
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
  select: (nodeIds: readonly string[], edgeKeys?: readonly string[]) => void;
  undo: () => void;
  redo: () => void;
}

/** A stable key for an edge (edges carry no id in the document). */
export function edgeKey(edge: GraphEdge): string {
  return `${edge.source}->${edge.target}${edge.branch === undefined ? '' : `#${edge.branch}`}`;
}

export function emptyDocument(name = 'untitled'): GraphDocument {
  return { format: 'plinth.graph/v1', name, description: '', nodes: [], edges: [], keepRunPayloads: true, secrets: [] };
}

// Coalescing bookkeeping lives outside the state: it must not trigger renders.
let lastEdit: { key: string; at: number } | null = null;

export const useGraphStore = create<GraphState>()((set, get) => {
  /** Apply a change to the document as one undo step (or merged into the last one). */
  function commit(next: GraphDocument, coalesceKey?: string): void {
    const { document, past } = get();
    if (next === document) return;
    const now = Date.now();
    const merge =
      coalesceKey !== undefined && lastEdit !== null && lastEdit.key === coalesceKey && now - lastEdit.at < COALESCE_MS;
    lastEdit = coalesceKey === undefined ? null : { key: coalesceKey, at: now };
    set({
      document: next,
      past: merge ? past : [...past, document].slice(-HISTORY_LIMIT),
      future: [],
    });
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

  function removeWhere(doc: GraphDocument, nodeIds: ReadonlySet<string>, edgeKeys: ReadonlySet<string>): GraphDocument {
    return {
      ...doc,
      nodes: doc.nodes.filter((n) => !nodeIds.has(n.id)),
      edges: doc.edges.filter((e) => !nodeIds.has(e.source) && !nodeIds.has(e.target) && !edgeKeys.has(edgeKey(e))),
    };
  }

  return {
    document: emptyDocument(),
    selectedNodeId: null,
    selectedNodeIds: [],
    selectedEdgeKeys: [],
    past: [],
    future: [],

    setDocument(document, opts) {
      lastEdit = null;
      set({
        document,
        ...(opts?.keepHistory ? {} : { past: [], future: [] }),
      });
      set(pruneSelection(document));
    },

    updateNode(id, patch) {
      const doc = get().document;
      const index = doc.nodes.findIndex((n) => n.id === id);
      const node = doc.nodes[index];
      if (node === undefined) return;
      // The id and type are not patchable here: renameNode keeps edges consistent.
      const { id: _id, type: _type, ...rest } = patch;
      const updated = { ...node, ...rest };
      const nodes = doc.nodes.slice();
      nodes[index] = updated;
      let edges = doc.edges;
      // Dropping a branch drops the edges that were labelled with it.
      if (updated.type === 'branch' && 'branches' in rest) {
        const allowed = new Set(updated.branches);
        edges = edges.filter((e) => e.source !== id || e.branch === undefined || allowed.has(e.branch));
      }
      const key = `${id}:${Object.keys(rest).sort().join(',')}`;
      commit({ ...doc, nodes, edges }, key);
    },

    renameNode(id, newId) {
      const doc = get().document;
      if (id === newId) return null;
      if (!/^[a-z_][a-z0-9_]{0,62}$/.test(newId)) {
        return 'Use lowercase letters, digits and _ (not starting with a digit), at most 63 characters.';
      }
      if (doc.nodes.some((n) => n.id === newId)) return `A node named "${newId}" already exists.`;
      if (!doc.nodes.some((n) => n.id === id)) return `No node "${id}".`;
      commit({
        ...doc,
        nodes: doc.nodes.map((n) => (n.id === id ? { ...n, id: newId } : n)),
        edges: doc.edges.map((e) => ({
          ...e,
          source: e.source === id ? newId : e.source,
          target: e.target === id ? newId : e.target,
        })),
      });
      const { selectedNodeId, selectedNodeIds } = get();
      set({
        selectedNodeId: selectedNodeId === id ? newId : selectedNodeId,
        selectedNodeIds: selectedNodeIds.map((s) => (s === id ? newId : s)),
      });
      return null;
    },

    addNode(type, position) {
      const doc = get().document;
      const id = nextNodeId(type, doc.nodes);
      commit({ ...doc, nodes: [...doc.nodes, createNode(type, id, position)] });
      set({ selectedNodeId: id, selectedNodeIds: [id], selectedEdgeKeys: [] });
      return id;
    },

    connect({ source, target, branch }) {
      const doc = get().document;
      if (source === target) return false;
      const sourceNode = doc.nodes.find((n) => n.id === source);
      const edge: GraphEdge =
        sourceNode?.type === 'branch' && branch !== undefined ? { source, target, branch } : { source, target };
      const key = edgeKey(edge);
      if (doc.edges.some((e) => edgeKey(e) === key)) return false;
      commit({ ...doc, edges: [...doc.edges, edge] });
      return true;
    },

    removeNodes(ids) {
      const doc = get().document;
      const next = removeWhere(doc, new Set(ids), new Set());
      if (next.nodes.length === doc.nodes.length) return;
      commit(next);
      set(pruneSelection(next));
    },

    removeEdges(keys) {
      const doc = get().document;
      const next = removeWhere(doc, new Set(), new Set(keys));
      if (next.edges.length === doc.edges.length) return;
      commit(next);
      set(pruneSelection(next));
    },

    removeSelection() {
      const { document: doc, selectedNodeIds, selectedEdgeKeys } = get();
      const next = removeWhere(doc, new Set(selectedNodeIds), new Set(selectedEdgeKeys));
      if (next.nodes.length === doc.nodes.length && next.edges.length === doc.edges.length) return;
      commit(next);
      set(pruneSelection(next));
    },

    moveNodes(positions) {
      const doc = get().document;
      let changed = false;
      const nodes = doc.nodes.map((n) => {
        const p = positions[n.id];
        if (p === undefined || (p.x === n.position.x && p.y === n.position.y)) return n;
        changed = true;
        return { ...n, position: { x: p.x, y: p.y } };
      });
      if (changed) set({ document: { ...doc, nodes } });
    },

    checkpoint() {
      const { document, past } = get();
      lastEdit = null;
      set({ past: [...past, document].slice(-HISTORY_LIMIT), future: [] });
    },

    setDescription(description) {
      const doc = get().document;
      commit({ ...doc, description }, 'graph:description');
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
      set({ document: previous, past: past.slice(0, -1), future: [document, ...future] });
      set(pruneSelection(previous));
    },

    redo() {
      const { past, future, document } = get();
      const next = future[0];
      if (next === undefined) return;
      lastEdit = null;
      set({ document: next, past: [...past, document], future: future.slice(1) });
      set(pruneSelection(next));
    },
  };
});

/**
 * The document as panels need it: it changes when anything but node positions
 * changes, so dragging nodes on the canvas does not re-render the side panels.
 * Its positions may be stale; read `useGraphStore` for those.
 */
export const useDocumentStructureStore = create<{ document: GraphDocument }>()(() => ({
  document: useGraphStore.getState().document,
}));

useGraphStore.subscribe((state) => {
  const current = useDocumentStructureStore.getState().document;
  if (state.document !== current && !onlyPositionsDiffer(current, state.document)) {
    useDocumentStructureStore.setState({ document: state.document });
  }
});

/** The document being edited, minus drags (see `useDocumentStructureStore`). */
export function useDocumentStructure(): GraphDocument {
  return useDocumentStructureStore((s) => s.document);
}

/**
 * The node the side panel shows, or null. Moving it on the canvas does not change
 * it (its `position` may be stale), so a drag does not re-render the panels.
 */
export function useSelectedNode(): GraphNode | null {
  const id = useGraphStore((s) => s.selectedNodeId);
  return useDocumentStructureStore((s) => s.document.nodes.find((n) => n.id === id) ?? null);
}
