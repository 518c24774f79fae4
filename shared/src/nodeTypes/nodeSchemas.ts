import { z } from 'zod';
import { nodeTypes, type GraphNode, type NodeType } from './index.ts';

type Schemas = { [T in NodeType]: ReturnType<(typeof nodeTypes)[T]['schema']> };
/** A node as a client may send it: defaults not yet filled in. */
export type GraphNodeInput = { [T in NodeType]: z.input<Schemas[T]> }[NodeType];

/** Each node type's schema, built once from the registry. */
export const nodeSchemas = Object.fromEntries(
  Object.entries(nodeTypes).map(([type, definition]) => [type, definition.schema(z)]),
) as Schemas;

/** Any node of the registry, by its `type`. */
export const NodeSchema = z.discriminatedUnion(
  'type',
  Object.values(nodeSchemas) as unknown as Parameters<typeof z.discriminatedUnion>[1],
) as unknown as z.ZodType<GraphNode, GraphNodeInput>;
