import type { Edge, Node } from '@xyflow/react';
import type { GraphNode } from '@plinth/shared/graph';
import type { LiveNodeStatus } from '../store/runStore.ts';
import type { NodeJoin } from './nodeJoins.ts';

export interface PlinthNodeData extends Record<string, unknown> {
  node: GraphNode;
  problems: readonly string[] | undefined;
  run: LiveNodeStatus | undefined;
  /** Only for a node with several upstream nodes. */
  join: NodeJoin | undefined;
}

export type PlinthFlowNode = Node<PlinthNodeData, 'plinth'>;
/** `route`: the path auto-layout found, while it still holds. */
export type PlinthFlowEdge = Edge<{ route?: readonly { x: number; y: number }[] }, 'routed'>;

/** The handle edges enter a node by, and the one they leave a node that is not a router by. */
export const INPUT_HANDLE = 'in';
export const OUTPUT_HANDLE = 'out';

/** The MIME type the palette puts on a drag. */
export const NODE_DRAG_TYPE = 'application/x-plinth-node';

/**
 * How "fit" frames the graph: never smaller than a zoom at which node labels stay legible
 * (a larger graph is scrolled, not shrunk), never blown up past a comfortable size.
 */
export const FIT_VIEW_OPTIONS = { minZoom: 0.8, maxZoom: 1.2, padding: 0.1 } as const;
