import { z } from 'zod';
import type { Json } from './json.ts';
import type { NodeTrace, RunError } from './traceSchema.ts';

/** Which door a run came in by; every door goes through the same invoke service. */
export const RUN_KINDS = ['invoke', 'test', 'trigger', 'app'] as const;
export type RunKind = (typeof RUN_KINDS)[number];

/** A run as the history keeps it: the trace, with payloads kept up to a size cap. */
export interface RunRecord {
  id: string;
  graph: string;
  /** Null for a draft test run. */
  version: number | null;
  kind: RunKind;
  status: 'ok' | 'error';
  error: RunError | null;
  startedAt: string;
  durationMs: number;
  /** The run's input and output, when kept (see `omitted`). */
  input?: Json;
  output?: Json;
  nodes: Record<string, NodeTrace>;
  /** Payloads left out, each with why: `nodes.score.output: 81234 bytes, over PLINTH_RUN_PAYLOAD_BYTES`. */
  omitted: string[];
}

/** One line of the run list. */
export type RunSummary = Omit<RunRecord, 'input' | 'output' | 'nodes' | 'omitted' | 'error'> & {
  errorCode: string | null;
};

/** `GET /api/v1/runs` query: newest first, `before` a run id to page back from. */
export const RunQuerySchema = z.object({
  graph: z.string().optional(),
  version: z.coerce.number().int().positive().optional(),
  status: z.enum(['ok', 'error']).optional(),
  kind: z.enum(RUN_KINDS).optional(),
  before: z.string().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});
export type RunQuery = z.infer<typeof RunQuerySchema>;
export const RunRefSchema = z.object({ id: z.string() });
