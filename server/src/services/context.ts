import type { Db, Dialect } from '../db/database.ts';
import type { Runtime } from '../runtime/types.ts';

/** One line to the operator's log (stderr by default); never called on the invoke hot path. */
export type Log = (message: string) => void;

/** What every service is built from. */
export interface ServiceDeps {
  db: Db;
  dialect: Dialect;
  runtime: Runtime;
  log: Log;
}

export const nowIso = (): string => new Date().toISOString();

/** Pool key of a published version: immutable code, shared by every invoke of it. */
export const versionPoolKey = (name: string, version: number): string => `${name}@v${version}`;

/** Pool key of a draft test: a new revision is new code, so a new pool. */
export const draftPoolKey = (name: string, revision: number): string => `${name}#draft@${revision}`;

/** Whether a pool key belongs to graph `name` (any version or draft revision; `draftsOnly` for drafts). */
export const isPoolOf = (name: string, key: string, draftsOnly = false): boolean =>
  key.startsWith(`${name}#draft@`) || (!draftsOnly && key.startsWith(`${name}@v`));
