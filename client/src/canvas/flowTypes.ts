import type { Edge, Node } from '@xyflow/react';
import type { GraphNode } from '@plinth/shared';
import type { LiveNodeStatus } from '../store/runStore.ts';

export interface PlinthNodeData extends Record<string, unknown> {
  node: GraphNode;
  problems: readonly string[] | undefined;
  run: LiveNodeStatus | undefined;
}

export type PlinthFlowNode = Node<PlinthNodeData, 'plinth'>;
export type PlinthFlowEdge = Edge;

/** The MIME type the palette puts on a drag. */
export const NODE_DRAG_TYPE = 'application/x-plinth-node';
