import { z } from 'zod';
import { NodeSchema } from './nodeTypes/index.ts';

export * from './limits.ts';
export * from './nodeTypes/index.ts';

/** The document format tag every graph carries. */
export const GRAPH_FORMAT = 'plinth.graph/v1';

export const EdgeSchema = z.object({
  source: z.string(),
  target: z.string(),
  /** Only on edges leaving a branch node: the branch value that routes data along this edge. */
  branch: z.string().optional(),
});

export const GraphDocumentSchema = z.object({
  format: z.literal(GRAPH_FORMAT),
  name: z.string(),
  description: z.string().default(''),
  nodes: z.array(NodeSchema),
  edges: z.array(EdgeSchema),
});

export type GraphEdge = z.infer<typeof EdgeSchema>;
export type GraphDocument = z.infer<typeof GraphDocumentSchema>;
/** The document as a client may send it: defaults not yet filled in. */
export type GraphDocumentInput = z.input<typeof GraphDocumentSchema>;
