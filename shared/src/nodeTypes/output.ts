import { z } from 'zod';
import { defineNodeType, nodeBase } from './defineNodeType.ts';

export const OutputNodeSchema = z.object({ ...nodeBase, type: z.literal('output') });
export type OutputNode = z.infer<typeof OutputNodeSchema>;

/** Its `data` is the response. */
export const outputNode = defineNodeType<OutputNode>({
  type: 'output',
  schema: OutputNodeSchema,
  execution: 'pass',
  endpoint: 'response',
  cardinality: 'one',
  accepts: { incoming: true, outgoing: false },
  create: (id, position) => ({ id, type: 'output', position }),
});
