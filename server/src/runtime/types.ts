import type { GraphDocument, Json, RunTrace } from '@plinth/shared';

/** One run of a graph on the server, in sandboxed workers. */
export interface RunRequest {
  /**
   * Identifies immutable code: `graph@v3` for a published version, `graph#draft@<revision>`
   * for a draft test. Runs with the same key share warm pools of workers.
   */
  poolKey: string;
  graph: GraphDocument;
  input: Json;
  /** Published version, or null for a draft run (becomes ctx.version). */
  version: number | null;
  /** The run's id (ctx.run_id); a new one when absent. */
  runId?: string;
  /**
   * Let workers run a node's planned successor without a round trip (one round trip per chain of
   * nodes); per-node durations of nodes run ahead are then approximate. Published runs do; draft
   * test runs do not, so the IDE's per-node timings are exact.
   */
  runAhead?: boolean;
  /** Values for ctx.secrets; they reach the worker per request, never via its environment. */
  secrets?: Readonly<Record<string, string>>;
  /** Aborted when the caller went away: a run still waiting for a worker leaves the queue. */
  signal?: AbortSignal;
}

/** Counters for /metrics and for tests (a warm run must spawn nothing). */
export interface RuntimeStats {
  pools: number;
  workers: number;
  busyWorkers: number;
  /** Runs waiting for a worker. */
  queued: number;
  /** Worker processes started since the runtime was created. */
  spawned: number;
}

/** The sandboxed Python runtime, as the services see it. */
export interface Runtime {
  /** Whether workers run inside bubblewrap (`bwrap`) or, when explicitly allowed, unsandboxed. */
  readonly sandbox: 'bwrap' | 'none';
  /** Run a graph to completion; never throws for a node failure (that is in the trace). */
  run(request: RunRequest): Promise<RunTrace>;
  /**
   * Readies what a graph needs before it can run, outside the request path: its nodes'
   * requirements, installed into virtualenvs. Throws `requirements_failed` naming the node.
   */
  prepare(graph: GraphDocument): Promise<void>;
  /** Whether a run of this graph would have to start a worker first (its pools are cold). */
  needsStart(poolKey: string, graph: GraphDocument): boolean;
  /**
   * Keeps the pools of the pool keys that match warm, out of the LRU's reach (live versions), or
   * lets them go again (a version that is no longer live).
   */
  keepWarm(matches: (poolKey: string) => boolean, kept: boolean): void;
  /** Start a graph's workers ahead of traffic, e.g. right after publishing a version. */
  warm(poolKey: string, graph: GraphDocument): Promise<void>;
  /** Stop the workers of the pool keys that will not be used again (an old draft revision, a deleted graph). */
  retire(matches: (poolKey: string) => boolean): Promise<void>;
  close(): Promise<void>;
  stats(): RuntimeStats;
}
