import type { RunTrace } from '@plinth/shared';
import type { PlinthClient } from '../api/trpc.ts';
import type { RunStore, RunTarget } from '../store/runStore.ts';

/** A finished test run as this browser keeps it across reloads. */
export interface KeptRun {
  trace: RunTrace;
  target: RunTarget;
  /** When it finished (ISO time). */
  at: string;
  /** The test input as typed, or null for the input node's example. */
  inputText: string | null;
}

const key = (name: string) => `plinth.lastRun.${name}`;
// A trace with large payloads is not worth crowding out unsaved drafts (localStorage is ~5 MB).
const MAX_KEPT_CHARS = 1_000_000;

export function readKeptRun(name: string): KeptRun | null {
  try {
    const text = localStorage.getItem(key(name));
    if (text === null) return null;
    const run = JSON.parse(text) as Partial<KeptRun>;
    const ok = typeof run.at === 'string' && typeof run.trace === 'object' && run.trace !== null;
    return ok && (run.target === 'browser' || run.target === 'server') ? (run as KeptRun) : null;
  } catch {
    return null;
  }
}

export function writeKeptRun(name: string, run: KeptRun): void {
  try {
    const text = JSON.stringify(run);
    if (text.length <= MAX_KEPT_CHARS) localStorage.setItem(key(name), text);
    else localStorage.removeItem(key(name));
  } catch {
    // Storage full or disabled: the server's run history still has server runs.
  }
}

/** The newest test run of the draft in the server's run history, as a trace. */
export async function fetchLastServerRun(client: PlinthClient, name: string): Promise<KeptRun | null> {
  const { runs } = await client.runs.list.query({ graph: name, kind: 'test', limit: 1 });
  const summary = runs[0];
  if (summary === undefined) return null;
  const record = await client.runs.get.query({ id: summary.id });
  const trace: RunTrace = {
    runId: record.id,
    output: record.output ?? null,
    error: record.error,
    nodes: record.nodes,
    durationMs: record.durationMs,
  };
  const finishedAt = new Date(Date.parse(record.startedAt) + record.durationMs).toISOString();
  return { trace, target: 'server', at: finishedAt, inputText: null };
}

/**
 * The last test run survives a reload: shows the run this browser kept, or the newest test
 * run in the server's history when that is newer (run from another browser), and keeps each
 * run that finishes from now on. Returns the unsubscribe.
 */
export function keepLastRun(runs: RunStore, client: PlinthClient, name: string): () => void {
  const kept = readKeptRun(name);
  if (kept !== null) runs.getState().restoreRun(kept);
  let active = true;
  fetchLastServerRun(client, name).then(
    (fromServer) => {
      if (active && fromServer !== null) runs.getState().restoreRun(fromServer);
    },
    () => undefined, // no history (switched off, or pruned): the kept run, if any, is what there is
  );
  const unsubscribe = runs.subscribe((state, prev) => {
    if (state.lastRun === prev.lastRun || state.lastRun === null || state.lastRunTarget === null) return;
    if (state.lastRunAt === null || state.running !== null) return;
    writeKeptRun(name, {
      trace: state.lastRun,
      target: state.lastRunTarget,
      at: state.lastRunAt,
      inputText: state.inputText,
    });
  });
  return () => {
    active = false;
    unsubscribe();
  };
}
