import { useId, useState } from 'react';
import type { FormEvent } from 'react';
import { useTRPCClient } from '../api/trpc.ts';
import { errorMessage } from '../api/errors.ts';
import { Modal } from '../ui/Modal.tsx';
import { graphNameProblem } from './scratch.ts';

/**
 * Duplicate a graph's draft under a new name, or rename it. A graph's name is its
 * API address, so renaming is a copy of the draft followed by deleting the old
 * name; a published graph says so before it happens.
 */
export function RenameDialog(props: {
  mode: 'rename' | 'duplicate';
  name: string;
  versionCount: number;
  taken: readonly string[];
  onDone: () => void;
  onClose: () => void;
}) {
  const client = useTRPCClient();
  const [newName, setNewName] = useState(props.mode === 'duplicate' ? `${props.name}-copy` : props.name);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const fieldId = useId();
  const problem =
    newName === props.name && props.mode === 'rename' ? 'Type a new name.' : graphNameProblem(newName, props.taken);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (problem !== null) return;
    setBusy(true);
    setError(null);
    try {
      await client.graphs.duplicate.mutate({ name: props.name, newName });
      if (props.mode === 'rename') await client.graphs.delete.mutate({ name: props.name });
      props.onDone();
    } catch (e) {
      setError(errorMessage(e));
      setBusy(false);
    }
  };

  const title = props.mode === 'rename' ? `Rename ${props.name}` : `Duplicate ${props.name}`;
  return (
    <Modal title={title} onClose={props.onClose} testId="rename-dialog">
      <form className="form" onSubmit={(e) => void submit(e)}>
        <label htmlFor={fieldId}>New name</label>
        <input id={fieldId} value={newName} onChange={(e) => setNewName(e.target.value)} spellCheck={false} autoFocus />
        {problem !== null && <p className="field-error">{problem}</p>}
        {props.mode === 'rename' && props.versionCount > 0 && (
          <p className="warning">
            {props.name} has {props.versionCount} published version{props.versionCount === 1 ? '' : 's'}. Renaming moves
            the draft only: the published versions and <code>/api/v1/graphs/{props.name}/invoke</code> are deleted with
            the old name. Duplicate instead to keep them.
          </p>
        )}
        {error !== null && (
          <p className="error pre" role="alert">
            {error}
          </p>
        )}
        <div className="actions">
          <button type="button" onClick={props.onClose}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={problem !== null || busy}>
            {props.mode === 'rename' ? 'Rename' : 'Duplicate'}
          </button>
        </div>
      </form>
    </Modal>
  );
}
