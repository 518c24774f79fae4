import type { Json, RunTrace } from '@plinth/shared';

const MASK = '****';

/**
 * Replaces every secret value a run received with `****` in what the run reports: messages,
 * tracebacks, logs, node inputs and outputs in traces and run history. (The invoke answer itself is
 * what the graph's author chose to return and is left as it is.)
 */
export class SecretMask {
  private readonly values: string[];

  constructor(secrets: Readonly<Record<string, string>>) {
    // Longest first, so a value that contains another is masked whole.
    this.values = Object.values(secrets)
      .filter((v) => v.length > 0)
      .sort((a, b) => b.length - a.length);
  }

  get empty(): boolean {
    return this.values.length === 0;
  }

  text(text: string): string {
    let masked = text;
    for (const value of this.values) if (masked.includes(value)) masked = masked.split(value).join(MASK);
    return masked;
  }

  json<T extends Json | undefined>(value: T): T {
    if (typeof value === 'string') return this.text(value) as T;
    if (Array.isArray(value)) return value.map((v) => this.json(v)) as T;
    if (value !== null && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [this.text(k), this.json(v)])) as T;
    }
    return value;
  }

  /** The trace with every secret value masked; the same trace when there is nothing to mask. */
  trace(trace: RunTrace): RunTrace {
    if (this.empty) return trace;
    return this.json(trace);
  }
}
