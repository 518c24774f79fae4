import { createStore, type StoreApi } from 'zustand/vanilla';

/**
 * `saved`: the server has exactly what is on screen, problems and all (a draft may be
 * unfinished; only publishing needs a valid graph). `unsaved`: a save is due.
 * `conflict`: someone else saved a newer revision.
 */
export type SaveStatus = 'loading' | 'saved' | 'saving' | 'unsaved' | 'conflict' | 'error';

export interface SaveState {
  status: SaveStatus;
  revision: number | null;
  /** The newer revision on the server when `status` is `conflict`. */
  conflictRevision: number | null;
  message: string | null;
}

export type SaveStore = StoreApi<SaveState>;

/** The save state of one editor's draft (its `DraftSaver` keeps it). */
export const createSaveStore = (): SaveStore =>
  createStore<SaveState>()(() => ({
    status: 'loading',
    revision: null,
    conflictRevision: null,
    message: null,
  }));
