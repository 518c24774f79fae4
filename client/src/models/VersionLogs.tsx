import { isSettling, showJson, type ModelVersion } from './modelQueries.ts';

/** What a version's build did, what load() printed, and why it failed (with the traceback). */
export function VersionLogs(props: { version: ModelVersion }) {
  const v = props.version;
  const { resources, requirements, exampleInput } = v.config;
  return (
    <div className="version-logs" data-testid="model-version-logs">
      <h3>v{v.version}</h3>
      <p className="muted">
        {requirements.length > 0 ? `Requirements: ${requirements.join(', ')}. ` : 'No requirements. '}
        CPU {resources.cpu}
        {resources.memoryMb !== null ? `, memory ${resources.memoryMb} MB` : ''}
        {resources.useGpu ? ', GPU' : ''}; up to {v.config.predictConcurrency} prediction(s) at once per worker.
      </p>
      {v.error !== null && (
        <div role="alert" data-testid="model-version-error">
          <p className="error">{v.error.message}</p>
          {v.error.traceback !== undefined && <pre className="traceback">{v.error.traceback}</pre>}
        </div>
      )}
      <h4>Build log</h4>
      {v.buildLog.length === 0 ? (
        <p className="muted">Nothing yet.</p>
      ) : (
        <pre className="logs" data-testid="model-build-log">
          {v.buildLog.join('\n')}
        </pre>
      )}
      <h4>load() output</h4>
      {v.loadLog.length === 0 ? (
        <p className="muted">{isSettling(v.status) ? 'Nothing yet.' : 'load() printed nothing.'}</p>
      ) : (
        <pre className="logs" data-testid="model-load-log">
          {v.loadLog.map((entry, i) => (
            <span key={i} className={entry.stream === 'stderr' ? 'log-stderr' : undefined}>
              {entry.text}
              {'\n'}
            </span>
          ))}
        </pre>
      )}
      <h4>Example input</h4>
      {exampleInput === null ? (
        <p className="muted">
          None: add <code>example_input</code> to config.yaml to show callers what to send.
        </p>
      ) : (
        <pre className="json">{showJson(exampleInput)}</pre>
      )}
    </div>
  );
}
