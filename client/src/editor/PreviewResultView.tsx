import type { LogEntry, NodeOutcome } from '@plinth/shared';

export interface PreviewRun {
  outcome: NodeOutcome;
  durationMs: number;
}

/** A preview's answer: the output (or the error with its traceback), printed lines and ctx.log, duration. */
export function PreviewResultView({ run }: { run: PreviewRun }) {
  const { outcome, durationMs } = run;
  return (
    <section className="preview-result" aria-label="Preview result">
      {outcome.ok ? (
        <div data-testid="preview-output">
          <h4>
            Output <span className="hint">({durationMs} ms)</span>
          </h4>
          <pre className="code">{JSON.stringify(outcome.output, null, 2)}</pre>
        </div>
      ) : (
        <div data-testid="preview-error" role="alert" className="preview-error">
          <h4>
            {outcome.error.type ? `${outcome.error.type}: ` : ''}
            {outcome.error.code === 'node_failed' ? 'failed' : outcome.error.code}
            {outcome.error.line !== undefined ? ` at line ${outcome.error.line}` : ''}{' '}
            <span className="hint">({durationMs} ms)</span>
          </h4>
          <p className="error">{outcome.error.message}</p>
          {outcome.error.traceback ? <pre className="code traceback">{outcome.error.traceback}</pre> : null}
        </div>
      )}
      <LogList logs={outcome.logs} />
    </section>
  );
}

function LogList({ logs }: { logs: LogEntry[] }) {
  if (logs.length === 0) return <p className="hint">Nothing printed.</p>;
  return (
    <div data-testid="preview-logs">
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
