import type { GraphDocument, Json, RunTrace } from '@plinth/shared';

/** One run of a graph on the server, in sandboxed workers. */
export interface RunRequest {
  /**
   * Identifies immutable code: `graph@v3` for a published version, `graph#draft@<revision>`
   * for a draft test. Runs with the same key share a warm pool of workers.
   */
  poolKey: string;
  graph: GraphDocument;
  input: Json;
  /** Published version, or null for a draft run (becomes ctx.version). */
  version: number | null;
  /** Values for ctx.secrets; they reach the worker per request, never via its environment. */
  secrets?: Record<string, string>;
}

/** The sandboxed Python runtime, as the API layer sees it. */
export interface Runtime {
  /** Whether workers run inside bubblewrap (`bwrap`) or, when explicitly allowed, unsandboxed. */
  readonly sandbox: 'bwrap' | 'none';
  /** Run a graph to completion; never throws for a node failure (that is in the trace). */
  run(request: RunRequest): Promise<RunTrace>;
  /** Start a pool's workers ahead of traffic, e.g. right after publishing a version. */
  warm(poolKey: string, graph: GraphDocument): Promise<void>;
  /** Stop the workers of a pool that will not be used again (an old draft revision). */
  retire(poolKey: string): Promise<void>;
  close(): Promise<void>;
}
