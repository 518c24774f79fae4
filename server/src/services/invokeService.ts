import {
  PlinthError,
  validateInput,
  type GraphDocument,
  type Json,
  type Problem,
  type RunKind,
  type RunTrace,
} from '@plinth/shared';
import type { DeploymentEvents } from '../events.ts';
import { draftPoolKey, type ServiceDeps } from './context.ts';
import { requireValidDraft } from './documents.ts';
import type { GraphService } from './graphService.ts';
import type { InvokeCache, ServedVersion } from './invokeCache.ts';
import type { Metrics } from './metrics.ts';
import type { RunRecorder } from './runRecorder.ts';
import { SecretMask } from './secretMask.ts';
import type { StartLimiter } from './startLimiter.ts';
import type { SecretService } from './secretService.ts';

export interface InvokeResult {
  version: number;
  output: Json;
  trace: RunTrace;
}

export interface InvokeOptions {
  /** Pinned version; the live one when absent. */
  version?: number;
  /** Which door the run came in by (for history and metrics). */
  kind?: RunKind;
  /** Aborted when the caller went away: a run still waiting for a worker leaves the queue. */
  signal?: AbortSignal;
  /** The id of the API key calling, for its share of cold worker starts; null or absent: the admin. */
  key?: string | null;
}

/** What one run is, wherever it came from. */
interface RunTarget {
  graphId: string;
  name: string;
  graph: GraphDocument;
  version: number | null;
  poolKey: string;
  runAhead: boolean;
  /** The calling API key's id (null: the admin), charged when the run must start a worker. */
  key: string | null;
}

/**
 * The one path every run takes, whatever its door (HTTP invoke, IDE test run, schedule, stream
 * message, app page): it checks the input, runs the graph in the sandbox, counts the run in
 * /metrics and records it in the run history.
 */
export class InvokeService {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly cache: InvokeCache,
    private readonly graphs: GraphService,
    private readonly secrets: SecretService,
    private readonly recorder: RunRecorder,
    private readonly metrics: Metrics,
    private readonly events: DeploymentEvents,
    private readonly starts: StartLimiter,
  ) {}

  /** Runs the live version, or `version` when pinned; a node failure becomes a PlinthError. */
  async invoke(name: string, input: Json, options: InvokeOptions = {}): Promise<InvokeResult> {
    const served =
      options.version === undefined ? await this.live(name) : await this.cache.getPinned(name, options.version);
    const { trace, output } = await this.execute(
      { ...served, runAhead: true, key: options.key ?? null },
      input,
      options.kind ?? 'invoke',
      options.signal,
      () => (served.validate && !served.validate(input) ? validateInput(served.graph, input) : []),
    );
    if (trace.error) throw runFailure(trace);
    return { version: served.version, output, trace };
  }

  /** Runs the saved draft in the sandbox; a node failure is in the trace, not thrown. */
  async test(name: string, input: Json, options: Pick<InvokeOptions, 'signal'> = {}): Promise<RunTrace> {
    const draft = await this.graphs.get(name);
    const graph = requireValidDraft(draft.document, 'test');
    await this.deps.runtime.prepare(graph);
    await this.events.emit('draftTested', { name, revision: draft.revision });
    const target: RunTarget = {
      graphId: draft.id,
      name,
      graph,
      version: null,
      poolKey: draftPoolKey(name, draft.revision),
      // One round trip per node, so the IDE's per-node timings are exact.
      runAhead: false,
      key: null,
    };
    const { trace } = await this.execute(target, input, 'test', options.signal, () => validateInput(graph, input));
    return trace;
  }

  private async execute(
    target: RunTarget,
    input: Json,
    kind: RunKind,
    signal: AbortSignal | undefined,
    check: () => Problem[],
  ): Promise<{ trace: RunTrace; output: Json }> {
    const started = performance.now();
    const startedAt = new Date();
    let status = 200;
    try {
      const problems = check();
      if (problems.length > 0) throw invalidInput(target.name, problems);
      if (this.deps.runtime.needsStart(target.poolKey, target.graph)) this.starts.take(target.name, target.key);
      const secrets = await this.secrets.valuesFor(target.graph.secrets);
      const raw = await this.deps.runtime.run({
        poolKey: target.poolKey,
        graph: target.graph,
        input,
        version: target.version,
        runAhead: target.runAhead,
        secrets,
        ...(signal ? { signal } : {}),
      });
      // What the run reports (errors, logs, traces, history) never shows a secret value.
      const trace = new SecretMask(secrets).trace(raw);
      if (trace.error) status = runFailure(trace).status;
      this.recorder.record({
        graphId: target.graphId,
        graph: target.name,
        version: target.version,
        kind,
        startedAt,
        input,
        trace,
        keepPayloads: target.graph.keepRunPayloads,
      });
      // The answer is what the graph returned, as its author chose; only the reports are masked.
      return { trace, output: raw.output };
    } catch (error) {
      status = error instanceof PlinthError ? error.status : 500;
      throw error;
    } finally {
      this.metrics.recordRun(target.name, kind, status, (performance.now() - started) / 1000);
    }
  }

  private async live(name: string): Promise<ServedVersion> {
    const served = await this.cache.getLive(name);
    if (!served) {
      throw new PlinthError(
        'not_found',
        `graph "${name}" has no live version yet; publish it first (POST /api/v1/graphs/${name}/versions)`,
        { graph: name },
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

export function invalidInput(name: string, problems: Problem[]): PlinthError {
  const first = problems[0];
  return new PlinthError(
    'invalid_input',
    `the input does not match graph "${name}"'s input schema${first ? `: ${first.message}` : ''}`,
    { problems },
  );
}
