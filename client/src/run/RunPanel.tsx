import { useEffect, useId, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { Json, NodeTrace } from '@plinth/shared';
import { useTRPCClient } from '../api/trpc.ts';
import { useGraphStore, useGraphStoreApi, useRunStore, useRunStoreApi } from '../store/GraphStoreProvider.tsx';
import { requestExample } from '../store/requestExample.ts';
import type { LiveNodeStatus } from '../store/runStore.ts';
import { useSaver } from '../save/SaverContext.tsx';
import { modelCallerFor } from '../models/callModel.ts';
import { parseTestInput, runInBrowser, runOnServer } from './runTest.ts';
import { PythonLoadStatus } from './PythonLoadStatus.tsx';
import { errorText } from './errorText.ts';

const pretty = (v: unknown) => JSON.stringify(v, null, 2);

/** Test the whole graph: input, run in the browser or on the server, every node's result. */
export function RunPanel(props: { name: string }) {
  const client = useTRPCClient();
  const saver = useSaver();
  // Narrow selectors: a drag on the canvas must not re-render this panel.
  const nodeIds = useGraphStore(useShallow((s) => s.structure.nodes.map((n) => n.id)));
  const example = useGraphStore((s) => requestExample(s.structure.nodes));
  const scope = { graph: useGraphStoreApi(), runs: useRunStoreApi() };
  const { inputText, setInputText, running, live, lastRun, lastRunTarget, runError } = useRunStore(
    useShallow((s) => ({
      inputText: s.inputText,
      setInputText: s.setInputText,
      running: s.running,
      live: s.live,
      lastRun: s.lastRun,
      lastRunTarget: s.lastRunTarget,
      runError: s.runError,
    })),
  );
  const text = inputText ?? pretty(example ?? {});
  const parsed = parseTestInput(text);
  const inputId = useId();

  const start = (where: 'browser' | 'server') => {
    if (!parsed.ok) return;
    const input: Json = parsed.value;
    void (where === 'browser'
      ? runInBrowser(scope, input, modelCallerFor(client))
      : runOnServer(client, saver, scope, props.name, input));
  };

  return (
    <div className="run-panel" data-testid="run-panel">
      <div className="field">
        <label htmlFor={inputId}>Test input (JSON)</label>
        <textarea
          id={inputId}
          className="code"
          rows={5}
          value={text}
          spellCheck={false}
          onChange={(e) => setInputText(e.target.value)}
          aria-invalid={!parsed.ok}
          data-testid="run-input"
        />
        <p className={parsed.ok ? 'hint' : 'field-error'}>
          {parsed.ok ? (inputText === null ? "The input node's example." : 'Edited.') : parsed.message}{' '}
          {inputText !== null && (
            <button type="button" className="link" onClick={() => setInputText(null)}>
              Reset to the example
            </button>
          )}
        </p>
      </div>
      <div className="inline">
        <button
          type="button"
          className="primary"
          disabled={running !== null || !parsed.ok}
          onClick={() => start('browser')}
          data-testid="run-browser"
        >
          {running === 'browser' ? 'Running…' : 'Run in browser'}
        </button>
        <button
          type="button"
          disabled={running !== null || !parsed.ok}
          onClick={() => start('server')}
          data-testid="run-server"
        >
          {running === 'server' ? 'Running…' : 'Run on server'}
        </button>
      </div>
      <PythonLoadStatus />
      {runError !== null && (
        <p className="error pre" role="alert" data-testid="run-error">
          {runError}
        </p>
      )}
      {/* After a refused run the last output belongs to another input: show the error alone. */}
      {lastRun !== null && running === null && runError === null && (
        <section className="run-result" data-testid="run-result" aria-live="polite">
          <h3>
            {lastRun.error === null ? 'Output' : 'Failed'}{' '}
            <span className="muted">
              ({lastRunTarget === 'server' ? 'server sandbox' : 'browser'}, {Math.round(lastRun.durationMs)} ms)
            </span>
          </h3>
          {lastRun.error === null ? (
            <pre className="json" data-testid="run-output">
              {pretty(lastRun.output)}
            </pre>
          ) : (
            <p className="error" data-testid="run-failure">
              {lastRun.error.nodeId}: {errorText(lastRun.error)}
            </p>
          )}
        </section>
      )}
      <NodeResults nodeIds={nodeIds} live={live} />
    </div>
  );
}

function NodeResults(props: { nodeIds: readonly string[]; live: Readonly<Record<string, LiveNodeStatus>> }) {
  const select = useGraphStore((s) => s.select);
  // In the order the run reported them, which is execution order.
  const existing = new Set(props.nodeIds);
  const entries = Object.keys(props.live)
    .filter((id) => existing.has(id))
    .map((id) => ({ id }));
  if (entries.length === 0) return null;
  return (
    <ol className="node-results" data-testid="node-results">
      {entries.map((n) => {
        const status = props.live[n.id] as LiveNodeStatus;
        return (
          <li key={n.id} className={`node-result status-${status.status}`} data-testid={`result-${n.id}`}>
            <div className="result-head">
              <button type="button" className="link" onClick={() => select([n.id])}>
                {n.id}
              </button>
              <span className={`badge badge-${status.status}`}>{status.status.replace('_', ' ')}</span>
              {status.status !== 'running' && <span className="muted">{Math.round(status.trace.durationMs)} ms</span>}
              {status.status !== 'running' && status.trace.status === 'ok' && status.trace.branch !== undefined && (
                <span className="muted">→ {status.trace.branch}</span>
              )}
            </div>
            {status.status !== 'running' && <TraceDetails trace={status.trace} />}
          </li>
        );
      })}
    </ol>
  );
}

function TraceDetails({ trace }: { trace: NodeTrace }) {
  const [open, setOpen] = useState(trace.status === 'error');
  useEffect(() => setOpen(trace.status === 'error'), [trace]);
  if (trace.status === 'skipped' || trace.status === 'not_run') return null;
  return (
    <details open={open} onToggle={(e) => setOpen((e.target as HTMLDetailsElement).open)}>
      <summary>Details</summary>
      {trace.status === 'error' && (
        <div className="trace-error">
          <p className="error">
            {errorText(trace.error)}
            {trace.error.line !== undefined ? ` (line ${trace.error.line})` : ''}
          </p>
          {trace.error.traceback !== undefined && <pre className="traceback">{trace.error.traceback}</pre>}
        </div>
      )}
      {trace.status === 'ok' && trace.output !== undefined && (
        <>
          <h4>Output</h4>
          <pre className="json">{pretty(trace.output)}</pre>
        </>
      )}
      {trace.logs.length > 0 && (
        <>
          <h4>Logs</h4>
          <pre className="logs">
            {trace.logs.map((l, i) => (
              <span key={i} className={`log-${l.stream}`}>
                {l.text.endsWith('\n') ? l.text : `${l.text}\n`}
              </span>
            ))}
          </pre>
        </>
      )}
      {trace.input !== undefined && (
        <>
          <h4>Input</h4>
          <pre className="json">{pretty(trace.input)}</pre>
        </>
      )}
    </details>
  );
}
