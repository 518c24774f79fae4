import { DEFAULT_NODE_TIMEOUT_MS } from '../limits.ts';
import { codeFields } from './codeFields.ts';
import { defineNodeType, nodeBase, type Zod } from './defineNodeType.ts';

export const DEFAULT_PYTHON_CODE = 'def process(data, ctx):\n    return data\n';

/** `process(data, ctx)` returns the node's output. */
export const pythonNode = defineNodeType((z: Zod) =>
  z.object({ ...nodeBase(z), type: z.literal('python'), ...codeFields(z) }),
)({
  type: 'python',
  execution: 'code',
  cardinality: 'any',
  accepts: { incoming: true, outgoing: true },
  create: (id, position) => ({
    id,
    type: 'python',
    position,
    code: DEFAULT_PYTHON_CODE,
    requirements: [],
    timeoutMs: DEFAULT_NODE_TIMEOUT_MS,
    network: false,
  }),
});
