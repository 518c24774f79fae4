import { PlinthError, validateInput, type Json, type RunTrace } from '@plinth/shared';
import type { ServiceDeps } from './context.ts';
import { invalidInput } from './graphService.ts';
import type { InvokeCache, ServedVersion } from './invokeCache.ts';
import type { SecretService } from './secretService.ts';

export interface InvokeResult {
  version: number;
  output: Json;
  trace: RunTrace;
}

/** Serves published versions: the path the benchmark measures, so it stays in memory. */
export class InvokeService {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly cache: InvokeCache,
    private readonly secrets: SecretService,
  ) {}

  /** Runs the live version, or `version` when pinned; a node failure becomes a PlinthError. */
  async invoke(name: string, input: Json, version?: number): Promise<InvokeResult> {
    const served = version === undefined ? await this.live(name) : await this.cache.getPinned(name, version);
    if (served.validate && !served.validate(input)) throw invalidInput(name, validateInput(served.graph, input));
    const trace = await this.deps.runtime.run({
      poolKey: served.poolKey,
      graph: served.graph,
      input,
      version: served.version,
      secrets: await this.secrets.values(),
    });
    if (trace.error) throw runFailure(trace);
    return { version: served.version, output: trace.output, trace };
  }

  private async live(name: string): Promise<ServedVersion> {
    const served = await this.cache.getLive(name);
    if (!served) {
      throw new PlinthError(
        'not_found',
        `graph "${name}" has no live version yet; publish it first (POST /api/v1/graphs/${name}/versions)`,
        {
          graph: name,
        },
      );
    }
    return served;
  }
}

/** The run's error as the API reports it: code and status from the node, located by node id. */
export function runFailure(trace: RunTrace): PlinthError {
  const { nodeId, code, message, ...details } = trace.error!;
  const located = message.includes(nodeId) ? message : `node "${nodeId}": ${message}`;
  return new PlinthError(code, located, { nodeId, ...details, runId: trace.runId });
}
