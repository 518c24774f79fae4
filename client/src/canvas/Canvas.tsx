import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { DragEvent } from 'react';
import {
  Background,
  ControlButton,
  Controls,
  MiniMap,
  ReactFlow,
  useNodesInitialized,
  useReactFlow,
} from '@xyflow/react';
import type { Connection, EdgeChange, NodeChange, OnDelete } from '@xyflow/react';
import { isNodeType } from '@plinth/shared/graph';
import {
  useDocumentStructure,
  useGraphStore,
  useGraphStoreApi,
  useRunStore,
  useValidation,
} from '../store/GraphStoreProvider.tsx';
import { nodeJoins } from './nodeJoins.ts';
import { NODE_DRAG_TYPE, OUTPUT_HANDLE } from './flowTypes.ts';
import { useFitReadable } from './readableView.ts';
import type { PlinthFlowEdge, PlinthFlowNode } from './flowTypes.ts';
import { PlinthNodeView } from './PlinthNodeView.tsx';
import { RoutedEdge } from './RoutedEdge.tsx';
import { FlowMapper } from './toFlow.ts';
import type { Size } from './toFlow.ts';

const nodeTypes = { plinth: PlinthNodeView };
const edgeTypes = { routed: RoutedEdge };
const DELETE_KEYS = ['Delete', 'Backspace'];

/** The React Flow canvas, controlled by the document store. */
export function Canvas() {
  const store = useGraphStoreApi();
  const document = useGraphStore((s) => s.document);
  const validation = useValidation();
  const structure = useDocumentStructure();
  // From the drawing alone (the shared plan), so a drag does not recompute it.
  const joins = useMemo(() => nodeJoins(structure), [structure]);
  const selectedNodeIds = useGraphStore((s) => s.selectedNodeIds);
  const selectedEdgeKeys = useGraphStore((s) => s.selectedEdgeKeys);
  const live = useRunStore((s) => s.live);
  const edgeRoutes = useGraphStore((s) => s.edgeRoutes);
  const [sizes, setSizes] = useState<Record<string, Size>>({});
  const mapper = useRef(new FlowMapper());
  const dragPending = useRef(false);
  const { screenToFlowPosition } = useReactFlow();
  const fitReadable = useFitReadable();
  const nodesMeasured = useNodesInitialized();
  const framed = useRef(false);
  // Frame the graph once, when its nodes have their sizes (React Flow's `fitView` would centre a
  // graph too wide to fit, cutting off its input and output).
  useEffect(() => {
    if (!nodesMeasured || framed.current) return;
    framed.current = true;
    fitReadable();
  }, [nodesMeasured, fitReadable]);

  const inputs = useMemo(
    () => ({
      document,
      selectedNodeIds: new Set(selectedNodeIds),
      selectedEdgeKeys: new Set(selectedEdgeKeys),
      validation,
      live,
      joins,
      sizes,
      edgeRoutes,
    }),
    [document, selectedNodeIds, selectedEdgeKeys, validation, live, joins, sizes, edgeRoutes],
  );
  const nodes = useMemo(() => mapper.current.mapNodes(inputs), [inputs]);
  const edges = useMemo(() => mapper.current.mapEdges(inputs), [inputs]);

  const onNodesChange = useCallback(
    (changes: NodeChange<PlinthFlowNode>[]) => {
      const state = store.getState();
      const positions: Record<string, { x: number; y: number }> = {};
      let moved = false;
      let selection: Set<string> | null = null;
      const newSizes: Record<string, Size> = {};
      let resized = false;
      for (const change of changes) {
        if (change.type === 'position' && change.position !== undefined) {
          positions[change.id] = change.position;
          moved = true;
        } else if (change.type === 'select') {
          selection ??= new Set(state.selectedNodeIds);
          if (change.selected) selection.add(change.id);
          else selection.delete(change.id);
        } else if (change.type === 'dimensions' && change.dimensions !== undefined) {
          newSizes[change.id] = change.dimensions;
          resized = true;
        }
      }
      if (moved) {
        const dragging = changes.some((c) => c.type === 'position' && c.dragging === true);
        const differs = state.document.nodes.some((n) => {
          const p = positions[n.id];
          return p !== undefined && (p.x !== n.position.x || p.y !== n.position.y);
        });
        // One undo step per drag, taken when its first movement arrives; one per
        // keyboard move (arrow keys); none for the settling change a drag ends with.
        if (dragPending.current || (!dragging && differs)) state.checkpoint();
        dragPending.current = false;
        state.moveNodes(positions);
      }
      if (selection !== null) state.select([...selection], state.selectedEdgeKeys);
      if (resized) setSizes((prev) => ({ ...prev, ...newSizes }));
    },
    [store],
  );

  const onEdgesChange = useCallback(
    (changes: EdgeChange<PlinthFlowEdge>[]) => {
      const state = store.getState();
      let selection: Set<string> | null = null;
      for (const change of changes) {
        if (change.type === 'select') {
          selection ??= new Set(state.selectedEdgeKeys);
          if (change.selected) selection.add(change.id);
          else selection.delete(change.id);
        }
      }
      if (selection !== null) state.select(store.getState().selectedNodeIds, [...selection]);
    },
    [store],
  );

  const onConnect = useCallback(
    (connection: Connection) => {
      const branch =
        connection.sourceHandle !== null && connection.sourceHandle !== OUTPUT_HANDLE
          ? connection.sourceHandle
          : undefined;
      store.getState().connect({ source: connection.source, target: connection.target, ...(branch ? { branch } : {}) });
    },
    [store],
  );

  const onDelete: OnDelete<PlinthFlowNode, PlinthFlowEdge> = useCallback(
    ({ nodes: gone, edges: goneEdges }) => {
      const state = store.getState();
      state.select(
        gone.map((n) => n.id),
        goneEdges.map((e) => e.id),
      );
      state.removeSelection();
    },
    [store],
  );

  const onDragOver = useCallback((event: DragEvent) => {
    if (!event.dataTransfer.types.includes(NODE_DRAG_TYPE)) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = 'copy';
  }, []);

  const onDrop = useCallback(
    (event: DragEvent) => {
      const type = event.dataTransfer.getData(NODE_DRAG_TYPE);
      if (!isNodeType(type)) return;
      event.preventDefault();
      const position = screenToFlowPosition({ x: event.clientX, y: event.clientY });
      store.getState().addNode(type, { x: position.x - 80, y: position.y - 30 });
    },
    [screenToFlowPosition, store],
  );

  return (
    <div className="canvas" data-testid="canvas" onDragOver={onDragOver} onDrop={onDrop}>
      <ReactFlow<PlinthFlowNode, PlinthFlowEdge>
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        edgeTypes={edgeTypes}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onConnect={onConnect}
        onDelete={onDelete}
        onNodeDragStart={() => {
          dragPending.current = true;
        }}
        isValidConnection={(c) => c.source !== c.target}
        deleteKeyCode={DELETE_KEYS}
        onlyRenderVisibleElements={document.nodes.length > 1000}
        minZoom={0.1}
        // The wheel scrolls the canvas (Ctrl+wheel or a pinch zooms): a graph wider than the view is read by scrolling.
        panOnScroll
        proOptions={{ hideAttribution: true }}
      >
        <Background gap={20} />
        <MiniMap pannable zoomable ariaLabel="Mini map of the graph" />
        <Controls showFitView={false}>
          <ControlButton onClick={() => fitReadable({ duration: 300 })} title="Fit view" aria-label="Fit view">
            <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 30" aria-hidden="true">
              <path d="M3.692 4.63c0-.53.4-.938.939-.938h5.215V0H4.708C2.13 0 0 2.054 0 4.63v5.216h3.692V4.631zM27.354 0h-5.2v3.692h5.17c.53 0 .984.4.984.939v5.215H32V4.631A4.624 4.624 0 0027.354 0zm.954 24.83c0 .532-.4.94-.939.94h-5.215v3.768h5.215c2.577 0 4.631-2.13 4.631-4.707v-5.139h-3.692v5.139zm-23.677.94c-.531 0-.939-.4-.939-.94v-5.138H0v5.139c0 2.577 2.13 4.707 4.708 4.707h5.138V25.77H4.631z" />
            </svg>
          </ControlButton>
        </Controls>
      </ReactFlow>
    </div>
  );
}
