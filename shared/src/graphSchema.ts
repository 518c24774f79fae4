import { z } from 'zod';
import type { Json } from './json.ts';
import { NodeSchema } from './nodeTypes/nodeSchemas.ts';

export * from './graph.ts';
export { NodeSchema, nodeSchemas, type GraphNodeInput } from './nodeTypes/nodeSchemas.ts';

export const JsonSchema: z.ZodType<Json> = z.json();

export const EdgeSchema = z.object({
  source: z.string(),
  target: z.string(),
  /** Only on edges leaving a branch node: the branch value that routes data along this edge. */
  branch: z.string().optional(),
});

export const GraphDocumentSchema = z.object({
  format: z.literal('plinth.graph/v1'),
  name: z.string(),
  description: z.string().default(''),
  nodes: z.array(NodeSchema),
  edges: z.array(EdgeSchema),
  /** Whether run history keeps inputs and outputs (up to a size cap); false keeps statuses and timings only. */
  keepRunPayloads: z.boolean().default(true),
  /** Names of the secrets the graph's code reads from `ctx.secrets`; it receives these and no others. */
  secrets: z.array(z.string()).default([]),
});

/** The document as a client may send it: defaults not yet filled in. */
export type GraphDocumentInput = z.input<typeof GraphDocumentSchema>;

// The schema and the zod-free `GraphDocument` type (in graph.ts) describe the same document.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const sameDocument: Same<z.output<typeof GraphDocumentSchema>, import('./graph.ts').GraphDocument> = true;
void sameDocument;
