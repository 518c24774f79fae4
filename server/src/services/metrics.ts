import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { RunKind } from '@plinth/shared';
import type { RuntimeStats } from '../runtime/types.ts';

/** Distinct graph labels kept; runs of further graphs are counted under `_other`. */
const MAX_GRAPH_LABELS = 1000;

export interface MetricsSources {
  runtime: () => RuntimeStats;
  sandboxed: boolean;
  runs: () => { dropped: number; written: number };
}

/**
 * Prometheus metrics for `GET /metrics`, through prom-client (labels escaped). Runs are counted
 * by the invoke service after the graph was found, so only graphs that exist become labels, and
 * their number is bounded.
 */
export class Metrics {
  readonly registry = new Registry();
  private readonly graphs = new Set<string>();
  private readonly runs: Counter<'graph' | 'kind' | 'status'>;
  private readonly seconds: Histogram<'graph' | 'kind'>;

  constructor(sources: MetricsSources) {
    const registers = [this.registry];
    this.runs = new Counter({
      name: 'plinth_runs_total',
      help: 'Graph runs answered (invokes, test runs, trigger runs), by graph, kind and HTTP status.',
      labelNames: ['graph', 'kind', 'status'],
      registers,
    });
    this.seconds = new Histogram({
      name: 'plinth_run_duration_seconds',
      help: 'Time from a run request to its answer.',
      labelNames: ['graph', 'kind'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    });
    const stats = new Map<keyof RuntimeStats, string>([
      ['pools', 'Worker pools (graph versions and worker groups) kept warm.'],
      ['workers', 'Sandboxed Python worker processes alive.'],
      ['busyWorkers', 'Workers serving a run.'],
      ['queued', 'Runs waiting for a worker.'],
      ['spawned', 'Worker processes started since the server started.'],
    ]);
    for (const [key, help] of stats) {
      new Gauge({
        name: `plinth_runtime_${key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)}`,
        help,
        registers,
        collect() {
          this.set(sources.runtime()[key]);
        },
      });
    }
    new Gauge({ name: 'plinth_runtime_sandboxed', help: '1 when workers run in bubblewrap.', registers }).set(
      sources.sandboxed ? 1 : 0,
    );
    new Gauge({
      name: 'plinth_run_history_dropped_total',
      help: 'Run traces not written to history because its queue was full or the database failed.',
      registers,
      collect() {
        this.set(sources.runs().dropped);
      },
    });
    collectDefaultMetrics({ register: this.registry, prefix: 'plinth_' });
  }

  /** Counts one run of a graph that exists. */
  recordRun(graph: string, kind: RunKind, status: number, seconds: number): void {
    const label = this.graphLabel(graph);
    this.runs.inc({ graph: label, kind, status: String(status) });
    this.seconds.observe({ graph: label, kind }, seconds);
  }

  render(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  private graphLabel(graph: string): string {
    if (this.graphs.has(graph)) return graph;
    if (this.graphs.size >= MAX_GRAPH_LABELS) return '_other';
    this.graphs.add(graph);
    return graph;
  }
}
