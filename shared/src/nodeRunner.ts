import type { CodeNode, Json, ModelNode } from './graph.ts';
import type { LogEntry, NodeError } from './traceSchema.ts';

/** What a node sees as `ctx.run_id`, `ctx.graph`, `ctx.version`. */
export interface NodeContext {
  runId: string;
  graph: string;
  /** Published version number, or null for a draft run. */
  version: number | null;
}

export type NodeOutcome =
  { ok: true; output: Json; logs: LogEntry[] } | { ok: false; error: NodeError; logs: LogEntry[] };

/** How `runGraph` asks for one node when it runs with `runAhead` (see `ExecutionPlan`). */
export interface CallOptions {
  /** The runner may go straight on to the node's planned successor without handing back. */
  runAhead?: boolean;
  /**
   * The runner already runs this node, ahead, after the previous call: hand over that result.
   * Its `data` is what the runner fed it, by the plan's construction.
   */
  continued?: boolean;
}

/**
 * The one thing `runGraph` needs from the outside world. The server implements it
 * with sandboxed CPython workers, the browser with Pyodide. A runner is used for a
 * single run, so it may keep `ctx.state` for that run in one Python interpreter.
 */
export interface NodeRunner {
  /** Call a python or branch node's `process(data, ctx)`. */
  runCode(node: CodeNode, data: Json, ctx: NodeContext, call?: CallOptions): Promise<NodeOutcome>;
  /** Call the deployed model's `predict(data)`. */
  runModel(node: ModelNode, data: Json, ctx: NodeContext): Promise<NodeOutcome>;
}
