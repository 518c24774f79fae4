import { useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { SaveStatus } from './saveStore.ts';
import { useSaver, useSaveState } from './SaverContext.tsx';
import { errorMessage } from '../api/errors.ts';
import { Modal } from '../ui/Modal.tsx';

const LABELS: Record<SaveStatus, string> = {
  loading: 'Loading…',
  saved: 'Saved',
  saving: 'Saving…',
  unsaved: 'Unsaved',
  conflict: 'Conflict',
  error: 'Save failed',
};

/** The save state, always visible; errors on hover and in the title. */
export function SaveIndicator() {
  const { status, message, revision } = useSaveState(
    useShallow((s) => ({ status: s.status, message: s.message, revision: s.revision })),
  );
  const title = message ?? (revision !== null ? `Revision ${revision}` : '');
  return (
    <span
      className={`save-indicator save-${status}`}
      role="status"
      title={title}
      data-testid="save-status"
      data-status={status}
    >
      {LABELS[status]}
    </span>
  );
}

/** Asks what to do when someone else saved a newer revision: never overwrites silently. */
export function ConflictDialog() {
  const status = useSaveState((s) => s.status);
  const message = useSaveState((s) => s.message);
  const saver = useSaver();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  if (status !== 'conflict') return null;
  const act = async (what: 'theirs' | 'mine') => {
    setBusy(true);
    setError(null);
    try {
      await (what === 'theirs' ? saver.takeTheirs() : saver.keepMine());
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal title="Someone else saved this graph" onClose={() => undefined} testId="conflict-dialog">
      <p>
        The draft on the server is newer than the one you have been editing (saved from another tab or by someone else).
        {message !== null && <span className="muted"> {message}</span>}
      </p>
      <p>Which version do you want to keep?</p>
      {error !== null && <p className="error">{error}</p>}
      <div className="actions">
        <button type="button" disabled={busy} onClick={() => void act('theirs')} data-testid="conflict-theirs">
          Reload theirs (drop my changes)
        </button>
        <button
          type="button"
          className="danger"
          disabled={busy}
          onClick={() => void act('mine')}
          data-testid="conflict-mine"
        >
          Overwrite with mine
        </button>
      </div>
    </Modal>
  );
}
