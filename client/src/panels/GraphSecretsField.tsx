import { useId, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { SECRET_NAME_PATTERN } from '@plinth/shared/graph';
import { useTRPC } from '../api/trpc.ts';
import { errorMessage } from '../api/errors.ts';
import { useGraphStore } from '../store/GraphStoreProvider.tsx';

/**
 * The secrets the graph declares: its code receives these, and only these, in `ctx.secrets`.
 * Says which exist on the server; values are never shown (the server never gives them back).
 */
export function GraphSecretsField() {
  const trpc = useTRPC();
  const declared = useGraphStore((s) => s.document.secrets);
  const setSecrets = useGraphStore((s) => s.setSecrets);
  const onServer = useQuery(trpc.secrets.list.queryOptions());
  const [draft, setDraft] = useState('');
  const inputId = useId();
  const existing = new Set(onServer.data?.map((s) => s.name));
  const name = draft.trim();
  const problem =
    name === ''
      ? null
      : !SECRET_NAME_PATTERN.test(name)
        ? 'Use letters, digits and _, not starting with a digit, as in ctx.secrets["NAME"].'
        : declared.includes(name)
          ? `${name} is already declared.`
          : null;
  const declare = (secret: string) => {
    setSecrets([...declared, secret]);
    setDraft('');
  };
  const undeclared = onServer.data?.map((s) => s.name).filter((n) => !declared.includes(n)) ?? [];

  return (
    <fieldset className="field graph-secrets" data-testid="graph-secrets">
      <legend>Secrets</legend>
      <p className="hint">
        Its code reads these, and only these, from <code>ctx.secrets</code>. Values are set on the server (
        <code>POST /api/v1/secrets</code>) and never shown here.
      </p>
      {declared.length === 0 ? (
        <p className="muted">No secrets declared.</p>
      ) : (
        <ul className="secret-list">
          {declared.map((secret) => (
            <li key={secret} data-testid={`secret-${secret}`}>
              <code>{secret}</code>{' '}
              {onServer.data === undefined ? null : existing.has(secret) ? (
                <span className="badge badge-ok">set on the server</span>
              ) : (
                <span className="badge badge-error">not set on the server</span>
              )}
              <button
                type="button"
                className="icon danger"
                aria-label={`Remove secret ${secret}`}
                onClick={() => setSecrets(declared.filter((s) => s !== secret))}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
      <div className="inline">
        <label htmlFor={inputId} className="visually-hidden">
          Secret name
        </label>
        <input
          id={inputId}
          value={draft}
          placeholder="SECRET_NAME"
          spellCheck={false}
          aria-invalid={problem !== null}
          onChange={(e) => setDraft(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault();
              if (name !== '' && problem === null) declare(name);
            }
          }}
        />
        <button type="button" disabled={name === '' || problem !== null} onClick={() => declare(name)}>
          Declare
        </button>
      </div>
      {problem !== null && <p className="field-error">{problem}</p>}
      {undeclared.length > 0 && (
        <p className="hint" data-testid="undeclared-secrets">
          On the server, not declared:{' '}
          {undeclared.map((n) => (
            <button key={n} type="button" className="link" onClick={() => declare(n)} title={`Declare ${n}`}>
              {n}
            </button>
          ))}
        </p>
      )}
      {onServer.isError && <p className="error">{errorMessage(onServer.error)}</p>}
    </fieldset>
  );
}
