import type { PlinthClient } from './trpc.ts';

type Draft = Awaited<ReturnType<PlinthClient['graphs']['get']['query']>>;

// A preload is for the load that is about to happen, never for a later visit.
const FRESH_MS = 10_000;
const pending = new Map<string, { draft: Promise<Draft>; at: number }>();

/**
 * Start fetching a graph's draft before the editor's code has arrived, so the
 * two travel in parallel on a cold load (and the request batches with the token check).
 */
export function preloadGraph(client: PlinthClient, name: string): void {
  const draft = client.graphs.get.query({ name });
  draft.catch(() => undefined); // the editor reports the failure when it takes it
  pending.set(name, { draft, at: Date.now() });
}

/** The preloaded draft if there is one (used once), else a fresh fetch. */
export function takeGraph(client: PlinthClient, name: string): Promise<Draft> {
  const preloaded = pending.get(name);
  pending.delete(name);
  return preloaded !== undefined && Date.now() - preloaded.at < FRESH_MS
    ? preloaded.draft
    : client.graphs.get.query({ name });
}
