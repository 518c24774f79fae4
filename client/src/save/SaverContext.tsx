import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import type { DraftSaver } from './DraftSaver.ts';
import type { SaveState } from './saveStore.ts';

export const SaverContext = createContext<DraftSaver | null>(null);

/** The draft saver of the graph being edited. */
export function useSaver(): DraftSaver {
  const saver = useContext(SaverContext);
  if (saver === null) throw new Error('useSaver() outside a graph editor');
  return saver;
}

/** A narrow slice of the save state of the graph being edited. */
export function useSaveState<T>(selector: (state: SaveState) => T): T {
  return useStore(useSaver().state, selector);
}
