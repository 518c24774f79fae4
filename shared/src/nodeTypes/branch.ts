import { DEFAULT_NODE_TIMEOUT_MS } from '../limits.ts';
import { codeFields } from './codeFields.ts';
import { defineNodeType, nodeBase, type Zod } from './defineNodeType.ts';

export const DEFAULT_BRANCH_CODE = "def process(data, ctx):\n    return 'yes' if data else 'no'\n";

/** `process(data, ctx)` returns one of `branches`; the node's own input goes on along that branch. */
export const branchNode = defineNodeType((z: Zod) =>
  z.object({
    ...nodeBase(z),
    type: z.literal('branch'),
    /** The values `process` may return; each names the edges that carry the data on. */
    branches: z.array(z.string()).min(1),
    ...codeFields(z),
  }),
)({
  type: 'branch',
  execution: 'code',
  cardinality: 'any',
  accepts: { incoming: true, outgoing: true },
  routes: (node) => node.branches,
  create: (id, position) => ({
    id,
    type: 'branch',
    position,
    branches: ['yes', 'no'],
    code: DEFAULT_BRANCH_CODE,
    requirements: [],
    timeoutMs: DEFAULT_NODE_TIMEOUT_MS,
    network: false,
  }),
  check(node, { path, nodeId }, problems) {
    const seen = new Set<string>();
    node.branches.forEach((b, j) => {
      const at = { path: `${path}.branches[${j}]`, nodeId };
      if (b.trim() === '') problems.push({ ...at, message: 'a branch name cannot be empty' });
      if (seen.has(b)) problems.push({ ...at, message: `duplicate branch ${JSON.stringify(b)}` });
      seen.add(b);
    });
  },
});
