import { z } from 'zod';
import { DEFAULT_NODE_TIMEOUT_MS } from '../limits.ts';
import { codeFields } from './codeFields.ts';
import { defineNodeType, nodeBase } from './defineNodeType.ts';

export const BranchNodeSchema = z.object({
  ...nodeBase,
  type: z.literal('branch'),
  /** The values `process` may return; each names the edges that carry the data on. */
  branches: z.array(z.string()).min(1),
  ...codeFields,
});
export type BranchNode = z.infer<typeof BranchNodeSchema>;

export const DEFAULT_BRANCH_CODE = "def process(data, ctx):\n    return 'yes' if data else 'no'\n";

/** `process(data, ctx)` returns one of `branches`; the node's own input goes on along that branch. */
export const branchNode = defineNodeType<BranchNode>({
  type: 'branch',
  schema: BranchNodeSchema,
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
      if (b.trim() === '')
        problems.push({ path: `${path}.branches[${j}]`, nodeId, message: 'a branch name cannot be empty' });
      if (seen.has(b))
        problems.push({ path: `${path}.branches[${j}]`, nodeId, message: `duplicate branch ${JSON.stringify(b)}` });
      seen.add(b);
    });
  },
});
