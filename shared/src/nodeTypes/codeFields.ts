import { z } from 'zod';
import { DEFAULT_NODE_TIMEOUT_MS, MAX_NODE_TIMEOUT_MS } from '../limits.ts';

/** The fields of a node whose Python code runs in a worker (`execution: 'code'`). */
export const codeFields = {
  /** Defines `process(data, ctx)`; module-level code runs once per worker. */
  code: z.string(),
  /** pip requirement lines, installed into a virtualenv shared by every node with the same list. */
  requirements: z.array(z.string()).default([]),
  timeoutMs: z.number().int().positive().max(MAX_NODE_TIMEOUT_MS).default(DEFAULT_NODE_TIMEOUT_MS),
  /** Whether the node may reach the network; its code then runs in workers of their own. */
  network: z.boolean().default(false),
};

export const timeoutField = {
  timeoutMs: z.number().int().positive().max(MAX_NODE_TIMEOUT_MS).default(DEFAULT_NODE_TIMEOUT_MS),
};
