/** The parts of a code node's preview: the input box, the buttons, and what came out. */
import { useId } from 'react';
import { PreviewResultView } from './PreviewResultView.tsx';
import type { Preview } from './usePreview.ts';
import { describePythonStatus, usePythonStatus } from './usePythonStatus.ts';

const SOURCE_HINT = {
  pinned: 'the sample pinned to this node',
  'last run': 'what the last test run fed this node',
  'input example': "the input node's example",
  none: 'nothing yet: type JSON, or run a test first',
  edited: 'edited here (Pin keeps it with the node)',
} as const;

export function PreviewInputField({ preview }: { preview: Preview }) {
  const inputId = useId();
  return (
    <div className="field">
      <label htmlFor={inputId}>Preview input (JSON)</label>
      <textarea
        id={inputId}
        className="code preview-input"
        rows={4}
        spellCheck={false}
        value={preview.inputText}
        onChange={(e) => preview.setInputText(e.target.value)}
        data-testid="preview-input"
      />
      <p className="hint" data-testid="preview-input-source">
        Input: {SOURCE_HINT[preview.source]}. Previews run here in the browser, where <code>ctx.secrets</code> is empty:
        secrets reach nodes only on the server.
      </p>
      {preview.inputError && (
        <p className="error" role="alert">
          {preview.inputError}
        </p>
      )}
      <div className="inline preview-actions">
        <button type="button" onClick={preview.pin} disabled={preview.running} data-testid="pin-button">
          Pin input
        </button>
        {preview.pinned && (
          <button type="button" onClick={preview.unpin} disabled={preview.running}>
            Unpin
          </button>
        )}
      </div>
    </div>
  );
}

export function PreviewActions({ preview }: { preview: Preview }) {
  const status = usePythonStatus();
  const statusText = describePythonStatus(status);
  return (
    <>
      <div className="inline preview-actions">
        {preview.running ? (
          <button type="button" className="danger" onClick={preview.stop} data-testid="stop-button">
            ■ Stop
          </button>
        ) : (
          <button
            type="button"
            className="primary"
            onClick={() => void preview.run()}
            data-testid="preview-button"
            title="Ctrl+Enter"
          >
            ▶ Preview
          </button>
        )}
        {preview.running && (
          <span className="hint" role="status" data-testid="preview-running">
            Running… (Stop interrupts it)
          </span>
        )}
      </div>
      {statusText !== null && (
        <p className={status.state === 'error' ? 'error' : 'hint'} role="status" data-testid="python-status">
          {statusText}
        </p>
      )}
    </>
  );
}

/** This preview's answer; before the first one, what the last test run did in this node. */
export function PreviewOutput({ preview }: { preview: Preview }) {
  if (preview.result) return <PreviewResultView run={preview.result} />;
  if (preview.lastRunResult) return <PreviewResultView run={preview.lastRunResult} label="Last test run" />;
  return null;
}
