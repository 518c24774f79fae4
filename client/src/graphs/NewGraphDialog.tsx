import { useId, useState } from 'react';
import type { FormEvent } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useTRPC } from '../api/trpc.ts';
import { errorMessage } from '../api/errors.ts';
import { Modal } from '../ui/Modal.tsx';
import { graphNameProblem, scratchDocument } from './scratch.ts';
import { useCreateGraph } from './useCreateGraph.ts';

const SCRATCH = 'scratch';

/** Create a graph from scratch or from one of the server's templates. */
export function NewGraphDialog(props: { taken: readonly string[]; onClose: () => void }) {
  const trpc = useTRPC();
  const templates = useQuery(trpc.graphs.templates.queryOptions());
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [template, setTemplate] = useState(SCRATCH);
  const [touched, setTouched] = useState(false);
  const ids = { name: useId(), description: useId(), nameError: useId() };
  const problem = graphNameProblem(name, props.taken);

  const create = useCreateGraph();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setTouched(true);
    if (problem !== null) return;
    const chosen = templates.data?.find((t) => t.id === template);
    const document =
      chosen === undefined
        ? scratchDocument(name, description)
        : { ...chosen.document, name, description: description || chosen.document.description };
    create.mutate({ document });
  };

  return (
    <Modal title="New graph" onClose={props.onClose} testId="new-graph-dialog">
      <form onSubmit={submit} className="form">
        <label htmlFor={ids.name}>Name</label>
        <input
          id={ids.name}
          value={name}
          onChange={(e) => setName(e.target.value)}
          onBlur={() => setTouched(name !== '')}
          placeholder="fraud-check"
          aria-invalid={touched && problem !== null}
          aria-describedby={ids.nameError}
          autoFocus
          spellCheck={false}
        />
        <p id={ids.nameError} className={touched && problem !== null ? 'field-error' : 'hint'}>
          {touched && problem !== null
            ? problem
            : 'Lowercase letters, digits and dashes: it becomes part of the API URL.'}
        </p>
        <label htmlFor={ids.description}>Description</label>
        <input id={ids.description} value={description} onChange={(e) => setDescription(e.target.value)} />
        <fieldset className="templates">
          <legend>Start from</legend>
          <label className="template">
            <input
              type="radio"
              name="template"
              value={SCRATCH}
              checked={template === SCRATCH}
              onChange={() => setTemplate(SCRATCH)}
            />
            <span>
              <strong>Scratch</strong>
              <span className="muted">An input wired to an output; draw the rest.</span>
            </span>
          </label>
          {templates.data?.map((t) => (
            <label className="template" key={t.id}>
              <input
                type="radio"
                name="template"
                value={t.id}
                checked={template === t.id}
                onChange={() => setTemplate(t.id)}
              />
              <span>
                <strong>{t.title}</strong>
                <span className="muted">{t.description}</span>
              </span>
            </label>
          ))}
          {templates.isError && <p className="error">Templates unavailable: {errorMessage(templates.error)}</p>}
        </fieldset>
        {create.isError && (
          <p className="error pre" role="alert">
            {errorMessage(create.error)}
          </p>
        )}
        <div className="actions">
          <button type="button" onClick={props.onClose}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={create.isPending}>
            {create.isPending ? 'Creating…' : 'Create graph'}
          </button>
        </div>
      </form>
    </Modal>
  );
}
