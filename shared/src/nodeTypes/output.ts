import { defineNodeType, nodeBase, type Zod } from './defineNodeType.ts';

/** Its `data` is the response. */
export const outputNode = defineNodeType((z: Zod) => z.object({ ...nodeBase(z), type: z.literal('output') }))({
  type: 'output',
  execution: 'pass',
  endpoint: 'response',
  cardinality: 'one',
  accepts: { incoming: true, outgoing: false },
  create: (id, position) => ({ id, type: 'output', position }),
});
