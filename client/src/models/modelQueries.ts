import type { PlinthClient } from '../api/trpc.ts';

type Models = PlinthClient['models'];
export type ModelSummary = Awaited<ReturnType<Models['list']['query']>>[number];
export type ModelDetails = Awaited<ReturnType<Models['get']['query']>>;
export type ModelVersion = ModelDetails['versions'][number];
export type ModelStatus = ModelVersion['status'];

/** How often a page looks again while something is on its way to ready or failed. */
export const SETTLING_POLL_MS = 1_000;
/** Otherwise: models deployed from the CLI or a notebook show up without a reload. */
export const IDLE_POLL_MS = 10_000;

/** Building or loading: the status will change without anyone doing anything. */
export function isSettling(status: ModelStatus | null | undefined): boolean {
  return status === 'building' || status === 'loading';
}

/** react-query's refetchInterval: often while a status is settling, now and then otherwise. */
export function pollWhileSettling<T>(statuses: (data: T) => readonly (ModelStatus | null)[]) {
  return (query: { state: { data: T | undefined } }): number => {
    const data = query.state.data;
    return data !== undefined && statuses(data).some(isSettling) ? SETTLING_POLL_MS : IDLE_POLL_MS;
  };
}

/** JSON on one line when it fits, else indented: a row of numbers stays a row. */
export function showJson(value: unknown): string {
  const line = JSON.stringify(value);
  return line.length <= 72 ? line : JSON.stringify(value, null, 2);
}
