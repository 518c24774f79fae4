import { z } from 'zod';
import { JsonSchema } from './graphSchema.ts';

export const LogEntrySchema = z.object({
  /** `stdout`/`stderr` from print and sys.stderr, `log` from ctx.log(...). */
  stream: z.enum(['stdout', 'stderr', 'log']),
  text: z.string(),
});

export const NodeErrorCodeSchema = z.enum([
  'node_failed',
  'node_timeout',
  'invalid_output',
  'invalid_branch',
  'model_unavailable',
  'worker_crashed',
  'client_closed',
]);

export const NodeErrorSchema = z.object({
  code: NodeErrorCodeSchema,
  message: z.string(),
  /** Python exception type, e.g. `KeyError`. */
  type: z.string().optional(),
  /** Python traceback whose line numbers are those of the node's own code. */
  traceback: z.string().optional(),
  /** 1-based line in the node's code where the error was raised. */
  line: z.number().int().optional(),
});

export const NodeStatusSchema = z.enum(['ok', 'error', 'skipped', 'not_run']);

const traced = {
  /** The value the node received, kept so the IDE can preview a node with what the last run fed it. */
  input: JsonSchema.optional(),
  logs: z.array(LogEntrySchema),
  durationMs: z.number(),
};

/** One node's part of a run, by status: only a node that ran has an input, and only an error an error. */
export const NodeTraceSchema = z.discriminatedUnion('status', [
  z.object({
    status: z.literal('ok'),
    ...traced,
    output: JsonSchema.optional(),
    /** For a branch node: the branch it chose (its `output` is its own input, passed on). */
    branch: z.string().optional(),
  }),
  z.object({ status: z.literal('error'), ...traced, error: NodeErrorSchema }),
  z.object({ status: z.literal('skipped'), logs: z.array(LogEntrySchema), durationMs: z.number() }),
  z.object({ status: z.literal('not_run'), logs: z.array(LogEntrySchema), durationMs: z.number() }),
]);

export const RunErrorSchema = NodeErrorSchema.extend({ nodeId: z.string() });

export const RunTraceSchema = z.object({
  runId: z.string(),
  output: JsonSchema.nullable(),
  error: RunErrorSchema.nullable(),
  nodes: z.record(z.string(), NodeTraceSchema),
  durationMs: z.number(),
});

export type LogEntry = z.infer<typeof LogEntrySchema>;
export type NodeErrorCode = z.infer<typeof NodeErrorCodeSchema>;
export type NodeError = z.infer<typeof NodeErrorSchema>;
export type NodeStatus = z.infer<typeof NodeStatusSchema>;
export type NodeTrace = z.infer<typeof NodeTraceSchema>;
export type RunError = z.infer<typeof RunErrorSchema>;
export type RunTrace = z.infer<typeof RunTraceSchema>;
