import { DEFAULT_NODE_TIMEOUT_MS } from '../limits.ts';
import { timeoutField } from './codeFields.ts';
import { defineNodeType, nodeBase, type Zod } from './defineNodeType.ts';

/** Calls a deployed model's `predict(data)`; its return value is the output. */
export const modelNode = defineNodeType((z: Zod) =>
  z.object({
    ...nodeBase(z),
    type: z.literal('model'),
    /** The deployed model's name. */
    model: z.string(),
    /** A version of it, or null for whichever is live (a published graph pins the live one). */
    modelVersion: z.number().int().positive().nullable().default(null),
    ...timeoutField(z),
  }),
)({
  type: 'model',
  execution: 'model',
  cardinality: 'any',
  accepts: { incoming: true, outgoing: true },
  create: (id, position) => ({
    id,
    type: 'model',
    position,
    model: '',
    modelVersion: null,
    timeoutMs: DEFAULT_NODE_TIMEOUT_MS,
  }),
});
