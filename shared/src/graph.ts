/**
 * @plinth/shared/graph: the graph model without zod or Ajv, so the IDE's first screen can use it:
 * the document's types and limits, the node-type registry and the execution plan.
 */
import type { GraphNode } from './nodeTypes/index.ts';

export * from './limits.ts';
export * from './json.ts';
export * from './nodeTypes/index.ts';
export * from './planGraph.ts';
export * from './sameBehaviour.ts';

/** The document format tag every graph carries. */
export const GRAPH_FORMAT = 'plinth.graph/v1';

export interface GraphEdge {
  source: string;
  target: string;
  /** Only on edges leaving a branch node: the branch value that routes data along this edge. */
  branch?: string;
}

/** A `plinth.graph/v1` document, defaults filled in. */
export interface GraphDocument {
  format: typeof GRAPH_FORMAT;
  name: string;
  description: string;
  nodes: GraphNode[];
  edges: GraphEdge[];
  /** Whether run history keeps inputs and outputs (up to a size cap); false keeps statuses and timings only. */
  keepRunPayloads: boolean;
  /** Names of the secrets the graph's code reads from `ctx.secrets`; it receives these and no others. */
  secrets: string[];
}
