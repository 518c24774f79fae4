import { useEffect, useId, useState } from 'react';
import type { Json } from '@plinth/shared';

const pretty = (value: unknown) => (value === undefined ? '' : JSON.stringify(value, null, 2));

/**
 * A JSON value edited as text: the value updates on every parseable edit; a
 * parse error is shown (and the last good value kept) until the text is fixed.
 */
export function JsonField(props: {
  label: string;
  value: Json | Record<string, unknown> | undefined;
  onChange: (value: Json) => void;
  hint?: string;
  rows?: number;
  testId?: string;
  /** An extra check of a parsed value; return a message to refuse it. */
  check?: (value: Json) => string | null;
}) {
  const id = useId();
  const [text, setText] = useState(() => pretty(props.value));
  const [error, setError] = useState<string | null>(null);

  // Follow outside changes (undo, another node) unless they are what we typed.
  useEffect(() => {
    setText((current) => {
      try {
        if (JSON.stringify(JSON.parse(current)) === JSON.stringify(props.value)) return current;
      } catch {
        // The text does not parse: the value changed elsewhere, show it.
      }
      setError(null);
      return pretty(props.value);
    });
  }, [props.value]);

  const edit = (next: string) => {
    setText(next);
    let parsed: Json;
    try {
      parsed = JSON.parse(next) as Json;
    } catch (e) {
      setError(`Not valid JSON: ${(e as Error).message}`);
      return;
    }
    const problem = props.check?.(parsed) ?? null;
    setError(problem);
    if (problem === null) props.onChange(parsed);
  };

  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      <textarea
        id={id}
        className="code"
        rows={props.rows ?? 6}
        value={text}
        spellCheck={false}
        onChange={(e) => edit(e.target.value)}
        aria-invalid={error !== null}
        aria-describedby={`${id}-msg`}
        data-testid={props.testId}
      />
      <p
        id={`${id}-msg`}
        className={error !== null ? 'field-error' : 'hint'}
        role={error !== null ? 'alert' : undefined}
      >
        {error ?? props.hint ?? ''}
      </p>
    </div>
  );
}
