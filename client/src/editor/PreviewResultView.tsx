import { useEffect, useRef } from 'react';
import type { LogEntry, NodeError, NodeErrorCode, NodeOutcome } from '@plinth/shared';

export interface PreviewRun {
  outcome: NodeOutcome;
  durationMs: number;
}

/** A preview's answer: the output (or the error with its traceback), printed lines and ctx.log, duration. */
export function PreviewResultView({ run, label }: { run: PreviewRun; label?: string }) {
  const { outcome, durationMs } = run;
  const ref = useRef<HTMLElement>(null);
  const testId = label === undefined ? 'preview' : 'last-run';
  // The result sits below the editor: bring each new preview into view (not a past run's, on opening a node).
  useEffect(() => {
    if (label !== undefined) return;
    // A block body: newer browsers return a Promise from scrollIntoView, and an effect may only return a cleanup.
    void ref.current?.scrollIntoView?.({ block: 'nearest' });
  }, [run, label]);
  return (
    <section className="preview-result" aria-label={label ?? 'Preview result'} ref={ref}>
      {label !== undefined && <p className="hint preview-result-label">{label}</p>}
      {outcome.ok ? (
        <div data-testid={`${testId}-output`}>
          <h4>
            Output <span className="hint">({Math.round(durationMs)} ms)</span>
          </h4>
          <pre className="code">{JSON.stringify(outcome.output, null, 2)}</pre>
        </div>
      ) : (
        <div data-testid={`${testId}-error`} role="alert" className="preview-error">
          <h4>
            {errorTitle(outcome.error)}
            {outcome.error.line !== undefined ? ` at line ${outcome.error.line}` : ''}{' '}
            <span className="hint">({Math.round(durationMs)} ms)</span>
          </h4>
          <p className="error">{outcome.error.message}</p>
          {outcome.error.traceback ? <pre className="code traceback">{outcome.error.traceback}</pre> : null}
        </div>
      )}
      <LogList logs={outcome.logs} testId={`${testId}-logs`} />
    </section>
  );
}

function LogList({ logs, testId }: { logs: LogEntry[]; testId: string }) {
  if (logs.length === 0) return <p className="hint">Nothing printed.</p>;
  return (
    <div data-testid={testId}>
      <h4>Printed</h4>
      <pre className="code logs">
        {logs.map((entry, i) => (
          <span key={i} className={`log-${entry.stream}`}>
            {entry.stream === 'stdout' ? '' : `[${entry.stream}] `}
            {entry.text}
            {'\n'}
          </span>
        ))}
      </pre>
    </div>
  );
}

const CODE_TITLES: Record<NodeErrorCode, string> = {
  node_failed: 'Failed',
  node_timeout: 'Timed out',
  invalid_output: 'Output is not JSON',
  invalid_branch: 'Not one of the branches',
  model_unavailable: 'Model unavailable',
  worker_crashed: 'Python worker crashed',
  client_closed: 'Stopped: the caller went away',
};

function errorTitle(error: NodeError): string {
  if (error.code === 'node_failed' && error.type === 'KeyboardInterrupt') return 'Stopped';
  if (error.code === 'node_failed' && error.type) return error.type;
  return CODE_TITLES[error.code];
}
