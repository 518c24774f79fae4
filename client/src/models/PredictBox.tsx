import { useId, useState } from 'react';
import { useMutation } from '@tanstack/react-query';
import type { Json } from '@plinth/shared';
import { useTRPC } from '../api/trpc.ts';
import { errorMessage } from '../api/errors.ts';
import { showJson } from './modelQueries.ts';

/**
 * JSON in, the model's predictions out: the same predict a run makes, through tRPC.
 * `version` null calls whichever version is live.
 */
export function PredictBox(props: {
  model: string;
  version: number | null;
  exampleInput: Json | null;
  /** What the box starts with and where it comes from; config.yaml's example_input when absent. */
  start?: { value: Json; from: string };
  /** What the button says (`Predict`, `Preview node`). */
  action?: string;
  testId?: string;
}) {
  const trpc = useTRPC();
  const id = useId();
  const start = props.start ?? { value: props.exampleInput ?? {}, from: 'config.yaml’s example_input' };
  // Until edited, the box follows its starting input (a new test run, another version).
  const [edited, setText] = useState<string | null>(null);
  const text = edited ?? showJson(start.value);
  const [parseError, setParseError] = useState<string | null>(null);
  const predict = useMutation(trpc.models.predict.mutationOptions());
  const testId = props.testId ?? 'predict';

  const submit = () => {
    let input: Json;
    try {
      input = JSON.parse(text) as Json;
    } catch (e) {
      setParseError(`The input is not valid JSON: ${(e as Error).message}`);
      return;
    }
    setParseError(null);
    predict.mutate({ name: props.model, input, ...(props.version !== null ? { version: props.version } : {}) });
  };

  return (
    <form
      className="predict-box"
      data-testid={testId}
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <div className="field">
        <label htmlFor={id}>Input (JSON)</label>
        <textarea
          id={id}
          className="code"
          rows={5}
          value={text}
          spellCheck={false}
          onChange={(e) => setText(e.target.value)}
          data-testid={`${testId}-input`}
        />
        <p className="hint">
          {props.start === undefined && props.exampleInput == null
            ? 'No example_input in config.yaml. '
            : `Starts as ${start.from}. `}
          Sent to {props.version === null ? 'the live version' : `v${props.version}`} of {props.model}.
        </p>
      </div>
      <div className="actions">
        <button type="submit" className="primary" disabled={predict.isPending || props.model === ''}>
          {predict.isPending ? 'Predicting…' : (props.action ?? 'Predict')}
        </button>
        {props.exampleInput != null && (
          <button type="button" onClick={() => setText(showJson(props.exampleInput ?? {}))}>
            Use example input
          </button>
        )}
      </div>
      {parseError !== null && (
        <p className="error" role="alert">
          {parseError}
        </p>
      )}
      {predict.isError && parseError === null && (
        <p className="error pre" role="alert" data-testid={`${testId}-error`}>
          {errorMessage(predict.error)}
        </p>
      )}
      {predict.isSuccess && parseError === null && (
        <div className="predict-result" data-testid={`${testId}-result`}>
          <p className="muted">v{predict.data.version} answered:</p>
          <pre className="json">{showJson(predict.data.output)}</pre>
        </div>
      )}
    </form>
  );
}
