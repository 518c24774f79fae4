import { DEFAULT_NODE_TIMEOUT_MS, MAX_NODE_TIMEOUT_MS } from '../limits.ts';
import type { Zod } from './defineNodeType.ts';

export function timeoutField(zod: Zod) {
  return {
    timeoutMs: zod.number().int().positive().max(MAX_NODE_TIMEOUT_MS).default(DEFAULT_NODE_TIMEOUT_MS),
  };
}

/** The fields of a node whose Python code runs in a worker (`execution: 'code'`). */
export function codeFields(zod: Zod) {
  return {
    /** Defines `process(data, ctx)`; module-level code runs once per worker. */
    code: zod.string(),
    /** pip requirement lines, installed into a virtualenv shared by every node with the same list. */
    requirements: zod.array(zod.string()).default([]),
    ...timeoutField(zod),
    /** Whether the node may reach the network; its code then runs in workers of their own. */
    network: zod.boolean().default(false),
  };
}
