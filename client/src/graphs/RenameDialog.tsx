import { useId, useState } from 'react';
import type { FormEvent } from 'react';
import { useTRPCClient } from '../api/trpc.ts';
import { errorMessage } from '../api/errors.ts';
import { Modal } from '../ui/Modal.tsx';
import { graphNameProblem } from './scratch.ts';

/**
 * Duplicate a graph's draft under a new name, or rename it. Renaming saves the draft
 * under the new name, and its versions and key scopes move with it; a graph's name is
 * its API address, so a published graph says so before it happens.
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
      if (props.mode === 'rename') {
        const draft = await client.graphs.get.query({ name: props.name });
        const document = { ...draft.document, name: newName };
        await client.graphs.update.mutate({ name: props.name, document, revision: draft.revision });
      } else {
        await client.graphs.duplicate.mutate({ name: props.name, newName });
      }
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
            {props.name} has {props.versionCount} published version{props.versionCount === 1 ? '' : 's'}. They move with
            the graph, but its address changes: callers of <code>/api/v1/graphs/{props.name}/invoke</code> must switch
            to the new name.
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
