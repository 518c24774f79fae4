import { useEffect, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { SaveStatus } from './saveStore.ts';
import { useSaver, useSaveState } from './SaverContext.tsx';
import { errorMessage } from '../api/errors.ts';
import { Modal } from '../ui/Modal.tsx';
import { describeConflicts } from './mergeDrafts.ts';
import type { DraftSaver } from './DraftSaver.ts';

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

/** Whether the two edits can be merged, worked out when the conflict shows. */
type MergeOption = { state: 'checking' } | { state: 'possible' } | { state: 'impossible'; why: string };

function useMergeOption(saver: DraftSaver, conflict: boolean): MergeOption {
  const [option, setOption] = useState<MergeOption>({ state: 'checking' });
  useEffect(() => {
    if (!conflict) return;
    let active = true;
    setOption({ state: 'checking' });
    saver.planMerge().then(
      (plan) => {
        if (!active) return;
        if (plan === null)
          setOption({ state: 'impossible', why: 'the revision both edits started from is not known here' });
        else if (plan.result.ok) setOption({ state: 'possible' });
        else setOption({ state: 'impossible', why: `both edits changed ${describeConflicts(plan.result.conflicts)}` });
      },
      (e: unknown) => active && setOption({ state: 'impossible', why: errorMessage(e) }),
    );
    return () => {
      active = false;
    };
  }, [saver, conflict]);
  return option;
}

/**
 * Asks what to do when someone else saved a newer revision: never overwrites silently. When the
 * two edits touched different nodes, both can be kept (a three-way merge, node by node).
 */
export function ConflictDialog() {
  const status = useSaveState((s) => s.status);
  const message = useSaveState((s) => s.message);
  const saver = useSaver();
  const merge = useMergeOption(saver, status === 'conflict');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  if (status !== 'conflict') return null;
  const act = async (what: 'theirs' | 'mine' | 'merge') => {
    setBusy(true);
    setError(null);
    try {
      await (what === 'theirs' ? saver.takeTheirs() : what === 'mine' ? saver.keepMine() : saver.mergeBoth());
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
      <p className="muted" data-testid="conflict-merge-status">
        {merge.state === 'checking' && 'Checking whether both edits can be kept…'}
        {merge.state === 'possible' && 'The two edits changed different nodes: both can be kept.'}
        {merge.state === 'impossible' && `Both cannot be kept: ${merge.why}.`}
      </p>
      {error !== null && <p className="error">{error}</p>}
      <div className="actions">
        <button
          type="button"
          className="primary"
          disabled={busy || merge.state !== 'possible'}
          onClick={() => void act('merge')}
          data-testid="conflict-merge"
        >
          Keep both (merge)
        </button>
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
