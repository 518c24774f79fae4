import { z } from 'zod';
import { compileSchema } from '../jsonSchema.ts';
import { defineNodeType, JsonSchema, nodeBase } from './defineNodeType.ts';

export const InputNodeSchema = z.object({
  ...nodeBase,
  type: z.literal('input'),
  /** JSON Schema the request body must satisfy. */
  schema: z.record(z.string(), z.unknown()).optional(),
  /** A sample request: the IDE's default test input and the publish check's input. */
  example: JsonSchema.optional(),
});
export type InputNode = z.infer<typeof InputNodeSchema>;

/** The request body enters the graph here. */
export const inputNode = defineNodeType<InputNode>({
  type: 'input',
  schema: InputNodeSchema,
  execution: 'pass',
  endpoint: 'request',
  cardinality: 'one',
  accepts: { incoming: false, outgoing: true },
  create: (id, position) => ({ id, type: 'input', position, schema: { type: 'object' }, example: {} }),
  check(node, { path, nodeId }, problems) {
    if (!node.schema) return;
    const error = compileSchema(node.schema).error;
    if (error) problems.push({ path: `${path}.schema`, nodeId, message: `invalid JSON Schema: ${error}` });
  },
});
