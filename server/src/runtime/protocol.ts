import type { Json, LogEntry, NodeError } from '@plinth/shared';

/**
 * The frames the server and the Python node runner (`sandbox-images/runner/plinth_runner.py`)
 * exchange, each a 4-byte big-endian length and UTF-8 JSON (see `process/frames.ts`). The runner
 * checks `protocol` in the load frame and answers with its own; a mismatch stops the worker at
 * start with a message that says which file is out of date.
 */
export const PROTOCOL_VERSION = 2;

/** What a run's first call to a worker carries: `ctx` as the node sees it, secrets included. */
export interface WireContext {
  run_id: string;
  graph: string;
  version: number | null;
  secrets: Readonly<Record<string, string>>;
}

/** Load the nodes of one worker group (module-level code runs now) and the run-ahead table. */
export interface LoadFrame {
  op: 'load';
  protocol: number;
  nodes: { id: string; code: string }[];
  /** `followTable` of the shared plan: node id → next id, or route → next id. */
  follow: Record<string, string | Record<string, string>>;
}

export interface LoadReply {
  ok: boolean;
  protocol?: number;
  error?: { code: string; message: string };
}

export interface CallFrame {
  op: 'call';
  id: number;
  run: string;
  node: string;
  data: Json;
  /** Only on a run's first call to this worker; the runner keeps it until `end`. */
  ctx?: WireContext;
  /** Go on to the planned successors without waiting (one reply per node, tagged with `node`). */
  chain?: boolean;
  /** Replace the run's `ctx.state` first (it was changed by nodes in another worker group). */
  state?: Json;
  /** Send the run's `ctx.state` back with each reply (the run goes on in another worker group). */
  want_state?: boolean;
}

export interface EndFrame {
  op: 'end';
  run: string;
}

export type RunnerFrame = LoadFrame | CallFrame | EndFrame;

/** One node's result: the called node, or (with `node`) one the runner went on to. */
export interface CallReply {
  id: number;
  node?: string;
  ok: boolean;
  output?: Json;
  error?: NodeError;
  logs: LogEntry[];
  /** The run's `ctx.state` after the node, when the call asked for it. */
  state?: Json;
  /** The worker has used most of its CPU-time budget: replace it after this run. */
  retire?: boolean;
}

// -- Model workers (`sandbox-images/model_server/plinth_model_server.py`) -------------------

/** The model server's protocol version, checked in the load frame as the runner's is. */
export const MODEL_PROTOCOL_VERSION = 1;

/** An error as the model server reports it: the package's own frames in `traceback`. */
export interface ModelWireError {
  code: string;
  message: string;
  type?: string;
  traceback?: string;
}

/** Import the package and run `Model.__init__` and `load()` once. */
export interface ModelLoadFrame {
  op: 'load';
  protocol: number;
  /** Where the package is mounted inside the sandbox. */
  package: string;
  /** The normalised config (see `modelConfig.ts`), with the file as written under `raw`. */
  config: Record<string, unknown>;
  /** The declared secrets' values (never through the environment). */
  secrets: Record<string, string | null>;
  /** Predictions the worker runs at once (`predict_concurrency`). */
  concurrency: number;
}

export interface ModelLoadReply {
  ok: boolean;
  protocol?: number;
  /** What `load()` (and the import of model.py) printed. */
  logs?: LogEntry[];
  load_ms?: number;
  error?: ModelWireError;
}

export interface PredictFrame {
  op: 'predict';
  id: number;
  input: Json;
}

export interface PredictReply {
  id: number;
  ok: boolean;
  output?: Json;
  error?: ModelWireError;
  /** The worker has used most of its CPU-time budget: replace it once its predictions end. */
  retire?: boolean;
}

/** Check a package without running it: model.py by `ast`, requirements against this Python. */
export interface CheckFrame {
  op: 'check';
  package: string;
  config: Record<string, unknown>;
  requirements: readonly string[];
}

export interface CheckReply {
  problems: { path: string; message: string }[];
  missing: { requirement: string; reason: string }[];
}
