import { useId, useState } from 'react';
import type { FormEvent } from 'react';

/** Shown without a token, or when the server refused the one we have. */
export function SignIn(props: { onSignIn: (token: string) => void; message: string | null }) {
  const [token, setToken] = useState('');
  const fieldId = useId();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const trimmed = token.trim();
    if (trimmed !== '') props.onSignIn(trimmed);
  };
  return (
    <main className="centered">
      <form className="card sign-in" onSubmit={submit} data-testid="sign-in">
        <h1>Plinth</h1>
        <p>
          Sign in with the admin token. The server prints it with the IDE&apos;s address when it starts (
          <code data-testid="sign-in-url">{window.location.origin}/?token=…</code>), and keeps it in{' '}
          <code>&lt;data dir&gt;/admin-token</code>.
        </p>
        {props.message !== null && (
          <p className="error" role="alert" data-testid="sign-in-message">
            {props.message}
          </p>
        )}
        <label htmlFor={fieldId}>Admin token</label>
        <input
          id={fieldId}
          type="password"
          autoComplete="current-password"
          value={token}
          onChange={(e) => setToken(e.target.value)}
          autoFocus
        />
        <button type="submit" className="primary" disabled={token.trim() === ''}>
          Sign in
        </button>
      </form>
    </main>
  );
}
