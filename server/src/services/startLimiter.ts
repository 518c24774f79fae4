import { PlinthError } from '@plinth/shared';

const WINDOW_MS = 60_000;

export interface StartLimits {
  /** Cold starts per graph per minute (`PLINTH_MAX_STARTS_PER_MINUTE`, 30). */
  perGraph: number;
  /** Cold starts per API key per minute (`PLINTH_MAX_STARTS_PER_KEY_PER_MINUTE`, 30). */
  perKey: number;
}

/**
 * Bounds how often runs may start workers for cold pools (a pinned old version, a new draft
 * revision), per graph and per API key, so a caller cycling through versions cannot make the
 * server spawn on every request and starve the graphs that are warm. Runs of warm pools never
 * count. Sliding one-minute windows; only existing graphs and valid keys get an entry.
 */
export class StartLimiter {
  private readonly graphs = new Map<string, number[]>();
  private readonly keys = new Map<string, number[]>();

  constructor(private readonly limits: StartLimits) {}

  /** Counts one cold start for `graph` (and `key`), or throws 429 naming the limit that is spent. */
  take(graph: string, key: string | null, now = Date.now()): void {
    const byGraph = recent(this.graphs, graph, now);
    const byKey = key === null ? null : recent(this.keys, key, now);
    if (byGraph.length >= this.limits.perGraph) {
      throw tooMany(`graph "${graph}"`, this.limits.perGraph, 'PLINTH_MAX_STARTS_PER_MINUTE', byGraph, now);
    }
    if (byKey && byKey.length >= this.limits.perKey) {
      throw tooMany('this API key', this.limits.perKey, 'PLINTH_MAX_STARTS_PER_KEY_PER_MINUTE', byKey, now);
    }
    byGraph.push(now);
    byKey?.push(now);
  }
}

function recent(map: Map<string, number[]>, id: string, now: number): number[] {
  const kept = (map.get(id) ?? []).filter((at) => now - at < WINDOW_MS);
  map.set(id, kept);
  // Forget entries that went quiet, so the maps hold only what started workers lately.
  if (map.size > 1000) for (const [k, v] of map) if (v.every((at) => now - at >= WINDOW_MS)) map.delete(k);
  return kept;
}

function tooMany(who: string, limit: number, setting: string, starts: number[], now: number): PlinthError {
  const retryAfterSeconds = Math.max(1, Math.ceil((starts[0]! + WINDOW_MS - now) / 1000));
  return new PlinthError(
    'too_many_starts',
    `${who} started workers ${limit} times in the last minute, the limit (${setting}); this version is not warm: ` +
      `call the live version, or try again in ${retryAfterSeconds} s`,
    { retryAfterSeconds, setting },
  );
}
