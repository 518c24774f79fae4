import { useReactFlow } from '@xyflow/react';
import type { DragEvent } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { NODE_TYPES, nodeTypes, type NodeType } from '@plinth/shared/graph';
import { nodeTypeViews } from '../nodeTypes/index.ts';
import { useGraphStore, useGraphStoreApi } from '../store/GraphStoreProvider.tsx';
import { NODE_DRAG_TYPE } from './flowTypes.ts';
import { findFreeSpot } from './freeSpot.ts';

/** The size a node not drawn yet is taken to have. */
const NEW_NODE_SIZE = { width: 190, height: 64 };

/** Node types to drag onto the canvas, or click (Enter/Space) to add in view; in the registry's order. */
export function Palette() {
  const { screenToFlowPosition, getNodes } = useReactFlow();
  const store = useGraphStoreApi();
  // Types a graph has exactly one of, and that one is already there: offered no more.
  const taken = useGraphStore(
    useShallow((s) =>
      NODE_TYPES.filter(
        (type) => nodeTypes[type].cardinality === 'one' && s.structure.nodes.some((n) => n.type === type),
      ),
    ),
  );

  // At the centre of what the canvas shows, or the nearest spot to it clear of other nodes.
  const addInView = (type: NodeType) => {
    const canvas = document.querySelector('[data-testid="canvas"]')?.getBoundingClientRect();
    const center = canvas
      ? { x: canvas.left + canvas.width / 2, y: canvas.top + canvas.height / 2 }
      : { x: 400, y: 300 };
    const taken = getNodes().map((n) => ({
      ...n.position,
      width: n.measured?.width ?? NEW_NODE_SIZE.width,
      height: n.measured?.height ?? NEW_NODE_SIZE.height,
    }));
    store.getState().addNode(type, findFreeSpot(screenToFlowPosition(center), NEW_NODE_SIZE, taken));
  };

  const onDragStart = (event: DragEvent, type: NodeType) => {
    event.dataTransfer.setData(NODE_DRAG_TYPE, type);
    event.dataTransfer.effectAllowed = 'copy';
  };

  return (
    <nav className="palette" aria-label="Node palette" data-testid="palette">
      <h2 className="panel-title">Add</h2>
      {NODE_TYPES.map((type) => {
        const view = nodeTypeViews[type];
        const single = taken.includes(type);
        return (
          <button
            key={type}
            type="button"
            className={`palette-item type-${type}`}
            draggable={!single}
            disabled={single}
            onDragStart={(e) => onDragStart(e, type)}
            onClick={() => addInView(type)}
            title={
              single ? `A graph has exactly one ${type} node` : `${view.help}. Drag onto the canvas, or press to add.`
            }
            data-testid={`palette-${type}`}
          >
            <span className="node-icon" aria-hidden="true">
              {view.icon}
            </span>
            {view.label}
          </button>
        );
      })}
    </nav>
  );
}
