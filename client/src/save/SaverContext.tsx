import { createContext, useContext } from 'react';
import type { DraftSaver } from './DraftSaver.ts';

export const SaverContext = createContext<DraftSaver | null>(null);

/** The draft saver of the graph being edited. */
export function useSaver(): DraftSaver {
  const saver = useContext(SaverContext);
  if (saver === null) throw new Error('useSaver() outside a graph editor');
  return saver;
}
