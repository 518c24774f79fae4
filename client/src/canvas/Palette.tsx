import { useReactFlow } from '@xyflow/react';
import type { DragEvent } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { NODE_TYPES, nodeTypes, type NodeType } from '@plinth/shared/graph';
import { nodeTypeViews } from '../nodeTypes/index.ts';
import { useGraphStore, useGraphStoreApi } from '../store/GraphStoreProvider.tsx';
import { NODE_DRAG_TYPE } from './flowTypes.ts';

/** Node types to drag onto the canvas, or click (Enter/Space) to add in view; in the registry's order. */
export function Palette() {
  const { screenToFlowPosition } = useReactFlow();
  const store = useGraphStoreApi();
  // Types a graph has exactly one of, and that one is already there: offered no more.
  const taken = useGraphStore(
    useShallow((s) =>
      NODE_TYPES.filter(
        (type) => nodeTypes[type].cardinality === 'one' && s.structure.nodes.some((n) => n.type === type),
      ),
    ),
  );

  const addInView = (type: NodeType) => {
    const canvas = document.querySelector('[data-testid="canvas"]')?.getBoundingClientRect();
    const center = canvas
      ? { x: canvas.left + canvas.width / 2, y: canvas.top + canvas.height / 2 }
      : { x: 400, y: 300 };
    // Stagger so repeated clicks do not stack nodes exactly on top of each other.
    const offset = (store.getState().document.nodes.length % 6) * 24;
    const p = screenToFlowPosition(center);
    store.getState().addNode(type, { x: p.x - 80 + offset, y: p.y - 30 + offset });
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
