import { useReactFlow } from '@xyflow/react';
import type { DragEvent } from 'react';
import type { NodeType } from '@plinth/shared';
import { useGraphStore } from '../store/graphStore.ts';
import { NODE_DRAG_TYPE } from './flowTypes.ts';
import { NODE_TYPE_INFO, PALETTE_TYPES } from './nodeTypeInfo.ts';

/** Node types to drag onto the canvas, or click (Enter/Space) to add in view. */
export function Palette() {
  const { screenToFlowPosition } = useReactFlow();
  const hasInput = useGraphStore((s) => s.document.nodes.some((n) => n.type === 'input'));
  const hasOutput = useGraphStore((s) => s.document.nodes.some((n) => n.type === 'output'));
  const has = (type: NodeType) => (type === 'input' ? hasInput : type === 'output' ? hasOutput : false);

  const addInView = (type: NodeType) => {
    const canvas = document.querySelector('[data-testid="canvas"]')?.getBoundingClientRect();
    const center = canvas
      ? { x: canvas.left + canvas.width / 2, y: canvas.top + canvas.height / 2 }
      : { x: 400, y: 300 };
    // Stagger so repeated clicks do not stack nodes exactly on top of each other.
    const offset = (useGraphStore.getState().document.nodes.length % 6) * 24;
    const p = screenToFlowPosition(center);
    useGraphStore.getState().addNode(type, { x: p.x - 80 + offset, y: p.y - 30 + offset });
  };

  const onDragStart = (event: DragEvent, type: NodeType) => {
    event.dataTransfer.setData(NODE_DRAG_TYPE, type);
    event.dataTransfer.effectAllowed = 'copy';
  };

  return (
    <nav className="palette" aria-label="Node palette" data-testid="palette">
      <h2 className="panel-title">Add</h2>
      {PALETTE_TYPES.map((type) => {
        const info = NODE_TYPE_INFO[type];
        const single = (type === 'input' || type === 'output') && has(type);
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
              single ? `A graph has exactly one ${type} node` : `${info.help}. Drag onto the canvas, or press to add.`
            }
            data-testid={`palette-${type}`}
          >
            <span className="node-icon" aria-hidden="true">
              {info.icon}
            </span>
            {info.label}
          </button>
        );
      })}
    </nav>
  );
}
