import { z } from 'zod';
import { DEFAULT_NODE_TIMEOUT_MS, MAX_NODE_TIMEOUT_MS } from './limits.ts';

export * from './limits.ts';

/** The document format tag every graph carries. */
export const GRAPH_FORMAT = 'plinth.graph/v1';

/** Any JSON value: what crosses a node boundary. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export const JsonSchema: z.ZodType<Json> = z.json();

export const PositionSchema = z.object({ x: z.number(), y: z.number() });

// The node-level shape is loose on purpose: `validateGraph` turns every
// departure into a located, human-readable problem instead of one zod dump.
const nodeBase = {
  id: z.string(),
  position: PositionSchema.default({ x: 0, y: 0 }),
  label: z.string().optional(),
  /** A sample input pinned for previewing this node in the IDE. */
  pinnedInput: JsonSchema.optional(),
};

export const InputNodeSchema = z.object({
  ...nodeBase,
  type: z.literal('input'),
  /** JSON Schema the request body must satisfy. */
  schema: z.record(z.string(), z.unknown()).optional(),
  example: JsonSchema.optional(),
});

export const PythonNodeSchema = z.object({
  ...nodeBase,
  type: z.literal('python'),
  code: z.string(),
  requirements: z.array(z.string()).default([]),
  timeoutMs: z.number().int().positive().max(MAX_NODE_TIMEOUT_MS).default(DEFAULT_NODE_TIMEOUT_MS),
  network: z.boolean().default(false),
});

export const ModelNodeSchema = z.object({
  ...nodeBase,
  type: z.literal('model'),
  model: z.string(),
  modelVersion: z.number().int().positive().nullable().default(null),
  timeoutMs: z.number().int().positive().max(MAX_NODE_TIMEOUT_MS).default(DEFAULT_NODE_TIMEOUT_MS),
});

export const BranchNodeSchema = z.object({
  ...nodeBase,
  type: z.literal('branch'),
  branches: z.array(z.string()).min(1),
  code: z.string(),
  timeoutMs: z.number().int().positive().max(MAX_NODE_TIMEOUT_MS).default(DEFAULT_NODE_TIMEOUT_MS),
});

export const OutputNodeSchema = z.object({
  ...nodeBase,
  type: z.literal('output'),
});

export const NodeSchema = z.discriminatedUnion('type', [
  InputNodeSchema,
  PythonNodeSchema,
  ModelNodeSchema,
  BranchNodeSchema,
  OutputNodeSchema,
]);

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

export type InputNode = z.infer<typeof InputNodeSchema>;
export type PythonNode = z.infer<typeof PythonNodeSchema>;
export type ModelNode = z.infer<typeof ModelNodeSchema>;
export type BranchNode = z.infer<typeof BranchNodeSchema>;
export type OutputNode = z.infer<typeof OutputNodeSchema>;
export type GraphNode = z.infer<typeof NodeSchema>;
export type GraphEdge = z.infer<typeof EdgeSchema>;
export type GraphDocument = z.infer<typeof GraphDocumentSchema>;
/** The document as a client may send it: defaults not yet filled in. */
export type GraphDocumentInput = z.input<typeof GraphDocumentSchema>;
export type NodeType = GraphNode['type'];
export const NODE_TYPES = ['input', 'python', 'model', 'branch', 'output'] as const satisfies readonly NodeType[];

/** Nodes whose code runs in a Python worker. */
export type CodeNode = PythonNode | BranchNode;
export function isCodeNode(node: GraphNode): node is CodeNode {
  return node.type === 'python' || node.type === 'branch';
}
