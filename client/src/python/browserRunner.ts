/**
 * The browser's NodeRunner for `runGraph`: code nodes run in the Pyodide worker,
 * model nodes call the deployed model on the server (models never run in the browser).
 */
import { readStoredToken } from '../api/token.ts';
import type { CodeNode, Json, ModelNode, NodeContext, NodeOutcome, NodeRunner } from '@plinth/shared';

/** The part of the Python client a browser runner needs. */
export interface CodeExecutor {
  runCode(node: CodeNode, data: Json, ctx: NodeContext): Promise<NodeOutcome>;
  endRun(runId: string): Promise<void>;
}

export interface BrowserRunner extends NodeRunner {
  /** Forget the `ctx.state` of the runs this runner served; call once `runGraph` resolves. */
  dispose(): Promise<void>;
}

export interface BrowserRunnerOptions {
  /** How model nodes are called; the IDE passes its tRPC caller. Without one, the REST predict endpoint. */
  callModel?: (node: ModelNode, data: Json) => Promise<NodeOutcome>;
  /** Base URL of the Plinth server; the page's own origin by default. */
  baseUrl?: string;
  /** The admin token; the stored one (`readStoredToken`) by default. */
  token?: () => string | null;
}

export function createBrowserRunner(python: CodeExecutor, options: BrowserRunnerOptions = {}): BrowserRunner {
  const runIds = new Set<string>();
  const token = options.token ?? readStoredToken;
  return {
    runCode(node, data, ctx) {
      runIds.add(ctx.runId);
      return python.runCode(node, data, ctx);
    },
    runModel(node, data) {
      return options.callModel ? options.callModel(node, data) : predict(node, data, options.baseUrl ?? '', token());
    },
    async dispose() {
      const ids = [...runIds];
      runIds.clear();
      await Promise.all(ids.map((id) => python.endRun(id).catch(() => undefined)));
    },
  };
}

/** POST the data to the model's predict endpoint; an absent or unready model is `model_unavailable`. */
export async function predict(
  node: ModelNode,
  data: Json,
  baseUrl: string,
  token: string | null,
): Promise<NodeOutcome> {
  const name = encodeURIComponent(node.model);
  const path =
    node.modelVersion == null
      ? `/api/v1/models/${name}/predict`
      : `/api/v1/models/${name}/versions/${node.modelVersion}/predict`;
  const label = node.modelVersion == null ? `'${node.model}'` : `'${node.model}' version ${node.modelVersion}`;
  let response: Response;
  try {
    response = await fetch(`${baseUrl}${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(data),
    });
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    return failure('model_unavailable', `Model ${label} could not be reached: ${reason}`);
  }
  const body = await response.text();
  if (response.ok) {
    try {
      return { ok: true, output: JSON.parse(body) as Json, logs: [] };
    } catch {
      return failure('invalid_output', `Model ${label} answered something that is not JSON`);
    }
  }
  const detail = errorMessage(body) ?? `${response.status} ${response.statusText}`;
  const unavailable =
    response.status === 404 || response.status === 502 || response.status === 503 || response.status === 504;
  return failure(unavailable ? 'model_unavailable' : 'node_failed', `Model ${label}: ${detail}`);
}

function errorMessage(body: string): string | null {
  try {
    const parsed = JSON.parse(body) as { error?: { message?: unknown } };
    return typeof parsed.error?.message === 'string' ? parsed.error.message : null;
  } catch {
    return body.trim() ? body.trim().slice(0, 300) : null;
  }
}

function failure(code: 'model_unavailable' | 'node_failed' | 'invalid_output', message: string): NodeOutcome {
  return { ok: false, error: { code, message }, logs: [] };
}
