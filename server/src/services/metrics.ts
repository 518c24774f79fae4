import type { Runtime } from '../runtime/types.ts';

interface Series {
  count: number;
  seconds: number;
}

const UNCOUNTED = new Set([401, 403, 404]);

/** Invoke counters and runtime gauges in the Prometheus text format, for `GET /metrics`. */
export class Metrics {
  private readonly invokes = new Map<string, Series>();

  /** Counts one invoke; unknown graphs and refused callers are left out to bound the label set. */
  recordInvoke(graph: string, status: number, seconds: number): void {
    if (UNCOUNTED.has(status)) return;
    const key = `${graph}\u0000${status}`;
    const series = this.invokes.get(key);
    if (series) {
      series.count++;
      series.seconds += seconds;
    } else {
      this.invokes.set(key, { count: 1, seconds });
    }
  }

  render(runtime: Runtime): string {
    const lines = [
      '# HELP plinth_invocations_total Invoke requests answered, by graph and HTTP status.',
      '# TYPE plinth_invocations_total counter',
    ];
    const seconds = [
      '# HELP plinth_invocation_seconds_total Time spent answering invokes.',
      '# TYPE plinth_invocation_seconds_total counter',
    ];
    for (const [key, series] of this.invokes) {
      const [graph, status] = key.split('\u0000');
      const labels = `{graph="${graph}",status="${status}"}`;
      lines.push(`plinth_invocations_total${labels} ${series.count}`);
      seconds.push(`plinth_invocation_seconds_total${labels} ${series.seconds.toFixed(6)}`);
    }
    lines.push(...seconds);
    const stats = (runtime as Partial<{ stats(): Record<string, number> }>).stats?.();
    if (stats) {
      for (const [name, value] of Object.entries(stats)) {
        const metric = `plinth_runtime_${name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)}`;
        lines.push(`# TYPE ${metric} gauge`, `${metric} ${value}`);
      }
    }
    lines.push(
      `# TYPE plinth_runtime_sandboxed gauge`,
      `plinth_runtime_sandboxed ${runtime.sandbox === 'bwrap' ? 1 : 0}`,
    );
    return `${lines.join('\n')}\n`;
  }
}
