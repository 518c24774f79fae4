import type { GraphDocument } from '@plinth/shared';

/** What this browser edited on top of a server revision but could not save yet. */
export interface LocalBackup {
  baseRevision: number;
  document: GraphDocument;
  /** The draft as saved at `baseRevision`: the base of a three-way merge if that revision is gone. */
  base?: GraphDocument;
}

const key = (name: string) => `plinth.unsaved.${name}`;

export function readBackup(name: string): LocalBackup | null {
  try {
    const text = localStorage.getItem(key(name));
    if (text === null) return null;
    const parsed = JSON.parse(text) as Partial<LocalBackup>;
    return typeof parsed.baseRevision === 'number' && typeof parsed.document === 'object' && parsed.document !== null
      ? (parsed as LocalBackup)
      : null;
  } catch {
    return null;
  }
}

export function writeBackup(name: string, backup: LocalBackup): void {
  try {
    localStorage.setItem(key(name), JSON.stringify(backup));
  } catch {
    // Storage full or disabled: the server save is still the main path.
  }
}

export function clearBackup(name: string): void {
  localStorage.removeItem(key(name));
}
