/**
 * The typed boundary between the main thread and the Pyodide worker.
 * Declared once here: the worker `expose`s an implementation of
 * {@link PythonWorkerApi}, the main thread `wrap`s it.
 */
import type { CodeNode, Json, NodeContext, NodeOutcome } from '@plinth/shared';

/** Where the in-browser Python stands; shown the first time it loads. */
export type PythonStatus =
  | { state: 'idle' }
  | { state: 'downloading'; /** 0..1, or null when the size is unknown */ progress: number | null; loadedBytes: number }
  | { state: 'initialising' }
  | { state: 'ready' }
  | { state: 'error'; message: string };

/** One problem Python's own parser found in a node's code (1-based lines and columns). */
export interface SyntaxProblem {
  line: number;
  column: number;
  endLine?: number;
  endColumn?: number;
  message: string;
  severity: 'error' | 'warning';
}

/** What the worker needs to know about a node to run it. */
export type RunnableNode = Pick<CodeNode, 'id' | 'type' | 'code'>;

/** A pure-Python wheel the server resolved for a node's requirements, to load into Pyodide. */
export interface WheelToLoad {
  /** On the app's own origin: `/api/v1/environments/{key}/wheels/{file}`. */
  url: string;
  /** Distribution name as PEP 503 compares it. */
  name: string;
  version: string;
  /** What a person asked for: the requirement line, or the package and what needs it. */
  label: string;
}

export interface WorkerInitOptions {
  /** Where pyodide.mjs and its assets are served, e.g. `/pyodide/`. */
  indexURL: string;
  /** Shared with the main thread so `interrupt()` can raise KeyboardInterrupt; absent when not cross-origin isolated. */
  interruptBuffer?: Int32Array;
}

export interface PythonWorkerApi {
  /** Start loading Pyodide and the shared node runner; progress goes to `onStatus`. Idempotent. */
  init(options: WorkerInitOptions, onStatus: (status: PythonStatus) => void): Promise<void>;
  /** Resolves once Python is ready (rejects with the load error). */
  ready(): Promise<void>;
  /** Parse (never run) the code with Python's `ast`. */
  checkSyntax(code: string): Promise<SyntaxProblem[]>;
  /** Load the node's code (cached by content) and call `process(data, ctx)` once, within run `ctx.runId`. */
  runNode(node: RunnableNode, data: Json, ctx: NodeContext): Promise<NodeOutcome>;
  /**
   * Download the wheels (with the admin token) and unpack them into Pyodide's site-packages.
   * Answers one line per wheel that could not be loaded, and why.
   */
  loadWheels(wheels: WheelToLoad[], token: string | null): Promise<string[]>;
  /** Forget a run's `ctx.state`. */
  endRun(runId: string): Promise<void>;
}
