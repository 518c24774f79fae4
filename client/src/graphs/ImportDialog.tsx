import { useId, useMemo, useState } from 'react';
import type { FormEvent } from 'react';
import { errorMessage } from '../api/errors.ts';
import { Modal } from '../ui/Modal.tsx';
import { parseGraphFile } from './importGraph.ts';
import { graphNameProblem } from './scratch.ts';
import { useCreateGraph } from './useCreateGraph.ts';

function freeName(name: string, taken: readonly string[]): string {
  if (!taken.includes(name)) return name;
  for (let n = 2; ; n++) if (!taken.includes(`${name}-${n}`)) return `${name}-${n}`;
}

/** Import a `.json` graph document: every problem listed, or create it (renamed if taken). */
export function ImportDialog(props: { text: string; taken: readonly string[]; onClose: () => void }) {
  const parsed = useMemo(() => parseGraphFile(props.text), [props.text]);
  const [name, setName] = useState(parsed.ok ? freeName(parsed.document.name, props.taken) : '');
  const nameId = useId();
  const problem = graphNameProblem(name, props.taken);
  const create = useCreateGraph();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (parsed.ok && problem === null) create.mutate({ document: { ...parsed.document, name } });
  };

  return (
    <Modal title="Import a graph" onClose={props.onClose} testId="import-dialog">
      {parsed.ok ? (
        <form onSubmit={submit} className="form">
          <p>
            A valid document with {parsed.document.nodes.length} nodes and {parsed.document.edges.length} edges.
          </p>
          <label htmlFor={nameId}>Create it as</label>
          <input id={nameId} value={name} onChange={(e) => setName(e.target.value)} spellCheck={false} autoFocus />
          {problem !== null && <p className="field-error">{problem}</p>}
          {create.isError && (
            <p className="error pre" role="alert">
              {errorMessage(create.error)}
            </p>
          )}
          <div className="actions">
            <button type="button" onClick={props.onClose}>
              Cancel
            </button>
            <button type="submit" className="primary" disabled={problem !== null || create.isPending}>
              Import
            </button>
          </div>
        </form>
      ) : (
        <div>
          <p className="error">This file is not a valid Plinth graph document. Fix these and import it again:</p>
          <ul className="problems" data-testid="import-problems">
            {parsed.problems.map((p, i) => (
              <li key={i}>
                {p.path !== '' && <code>{p.path}</code>} {p.message}
              </li>
            ))}
          </ul>
          <div className="actions">
            <button type="button" className="primary" onClick={props.onClose}>
              Close
            </button>
          </div>
        </div>
      )}
    </Modal>
  );
}
