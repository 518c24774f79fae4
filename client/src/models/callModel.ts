import type { Json, ModelNode, NodeErrorCode, NodeOutcome } from '@plinth/shared';
import type { PlinthClient } from '../api/trpc.ts';
import { errorMessage, plinthError } from '../api/errors.ts';

/** How a browser run calls a model node: on the server, never in the browser. */
export type ModelCaller = (node: ModelNode, data: Json) => Promise<NodeOutcome>;

// The same node error codes a server run gives (server/src/services/models/index.ts).
const NODE_CODES: Partial<Record<string, NodeErrorCode>> = {
  model_failed: 'node_failed',
  model_timeout: 'node_timeout',
  invalid_output: 'invalid_output',
  worker_crashed: 'worker_crashed',
};

/** A model node's call through tRPC (`models.predict`), its failures as the node's error. */
export function modelCallerFor(client: PlinthClient): ModelCaller {
  return async (node, data) => {
    const label = `node '${node.id}' (model "${node.model}")`;
    if (node.model === '')
      return failed(
        'model_unavailable',
        `model node '${node.id}' names no model; choose a deployed model in its panel`,
      );
    try {
      const result = await client.models.predict.mutate({
        name: node.model,
        input: data,
        timeoutMs: node.timeoutMs,
        ...(node.modelVersion !== null ? { version: node.modelVersion } : {}),
      });
      return { ok: true, output: result.output, logs: [] };
    } catch (error) {
      const body = plinthError(error);
      const code = (body && NODE_CODES[body.code]) ?? 'model_unavailable';
      const extra = (body ?? {}) as { type?: unknown; traceback?: unknown };
      return {
        ok: false,
        logs: [],
        error: {
          code,
          message: `${label}: ${body?.message ?? errorMessage(error)}`,
          ...(typeof extra.type === 'string' ? { type: extra.type } : {}),
          ...(typeof extra.traceback === 'string' ? { traceback: extra.traceback } : {}),
        },
      };
    }
  };
}

function failed(code: NodeErrorCode, message: string): NodeOutcome {
  return { ok: false, logs: [], error: { code, message } };
}
