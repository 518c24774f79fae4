import { createStore, type StoreApi } from 'zustand/vanilla';
import type { Problem } from '@plinth/shared';

/**
 * `saved`: the server has exactly what is on screen. `unsaved`: a save is due.
 * `invalid`: the document has problems the server would refuse; kept in this
 * browser until fixed. `conflict`: someone else saved a newer revision.
 */
export type SaveStatus = 'loading' | 'saved' | 'saving' | 'unsaved' | 'invalid' | 'conflict' | 'error';

export interface SaveState {
  status: SaveStatus;
  revision: number | null;
  /** The newer revision on the server when `status` is `conflict`. */
  conflictRevision: number | null;
  message: string | null;
  problems: readonly Problem[];
}

export type SaveStore = StoreApi<SaveState>;

/** The save state of one editor's draft (its `DraftSaver` keeps it). */
export const createSaveStore = (): SaveStore =>
  createStore<SaveState>()(() => ({
    status: 'loading',
    revision: null,
    conflictRevision: null,
    message: null,
    problems: [],
  }));
