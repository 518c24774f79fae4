import { defineNodeType, json, nodeBase, type Zod } from './defineNodeType.ts';

/** The request body enters the graph here. */
export const inputNode = defineNodeType((z: Zod) =>
  z.object({
    ...nodeBase(z),
    type: z.literal('input'),
    /** JSON Schema the request body must satisfy. */
    schema: z.record(z.string(), z.unknown()).optional(),
    /** A sample request: the IDE's default test input. */
    example: json(z).optional(),
  }),
)({
  type: 'input',
  execution: 'pass',
  endpoint: 'request',
  cardinality: 'one',
  accepts: { incoming: false, outgoing: true },
  create: (id, position) => ({ id, type: 'input', position, schema: { type: 'object' }, example: {} }),
  check(node, { path, nodeId }, problems, { compileSchema }) {
    if (!node.schema) return;
    const error = compileSchema(node.schema).error;
    if (error) problems.push({ path: `${path}.schema`, nodeId, message: `invalid JSON Schema: ${error}` });
  },
});
