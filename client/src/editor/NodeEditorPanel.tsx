/**
 * The selected code node's editor: Python in Monaco, its settings, and a preview
 * that runs the node alone in the browser's Pyodide with the shared node runner.
 */
import { lazy, Suspense, useCallback, useId, useRef, useState, type KeyboardEvent } from 'react';
import { isCodeNode, routesOf, type CodeNode, type Json } from '@plinth/shared/graph';
import { getPythonClient } from '../python/pythonClient.ts';
import { errorText } from '../run/errorText.ts';
import { nodeTypeViewOf } from '../nodeTypes/index.ts';
import { useDocumentStructure, useGraphStore, useRunStore, useSelectedNode } from '../store/GraphStoreProvider.tsx';
import { NodeSettingsFields } from './NodeSettingsFields.tsx';
import { PreviewResultView, type PreviewRun } from './PreviewResultView.tsx';
import { defaultPreviewInput, formatPreviewInput, parsePreviewInput } from './previewInput.ts';
import { describePythonStatus, usePythonStatus } from './usePythonStatus.ts';
import { useSettled } from './useSettled.ts';
import './editor.css';

// Monaco is its own chunk, fetched and created once the selecting click (or drag) is over.
const CodeEditor = lazy(() => import('./CodeEditor.tsx'));

export function NodeEditorPanel() {
  const node = useSelectedNode();
  if (node === null || !isCodeNode(node)) return null;
  // Keyed by node, so switching nodes starts from that node's own preview state.
  return <CodeNodeEditor key={node.id} node={node} />;
}

export default NodeEditorPanel;

function CodeNodeEditor({ node }: { node: CodeNode }) {
  const update = useGraphStore((s) => s.updateNode);
  const preview = usePreview(node);
  const settled = useSettled();
  const onKeyDown = (e: KeyboardEvent) => {
    if ((e.ctrlKey || e.metaKey) && e.key === 'Enter') {
      e.preventDefault();
      void preview.run();
    }
  };
  return (
    <div className="node-editor" data-testid="node-editor" onKeyDown={onKeyDown}>
      <div className="field">
        <span className="field-label" id={`${node.id}-code-label`}>
          {nodeTypeViewOf(node).code.label}
        </span>
        {settled ? (
          <Suspense fallback={<CodePlaceholder code={node.code} />}>
            <CodeEditor
              value={node.code}
              onChange={(code) => update(node.id, { code })}
              errorLine={preview.errorLine}
              errorMessage={preview.errorMessage}
              ariaLabel={`Python code of node ${node.id}`}
              onSubmit={() => void preview.run()}
            />
          </Suspense>
        ) : (
          <CodePlaceholder code={node.code} />
        )}
        <p className="hint">Ctrl+Enter previews. Ctrl+M switches Tab between indenting and moving focus.</p>
      </div>
      <PreviewSection node={node} preview={preview} />
      <NodeSettingsFields node={node} />
    </div>
  );
}

/** The code as text, until the editor is ready. */
function CodePlaceholder({ code }: { code: string }) {
  return (
    <pre className="code code-editor-placeholder" aria-busy="true">
      {code}
    </pre>
  );
}

type Preview = ReturnType<typeof usePreview>;

function usePreview(node: CodeNode) {
  const document = useDocumentStructure(); // not re-rendered by canvas drags
  const update = useGraphStore((s) => s.updateNode);
  const lastRun = useRunStore((s) => s.lastRun);
  const fallback = defaultPreviewInput(document, node, lastRun);
  const fallbackText = formatPreviewInput(fallback.value);
  // Until the user edits the box, it follows the default input (a new test run refreshes it).
  const [editedText, setEditedText] = useState<string | null>(null);
  const inputText = editedText ?? fallbackText;
  const [running, setRunning] = useState(false);
  const [result, setResult] = useState<PreviewRun | null>(null);
  const [inputError, setInputError] = useState<string | null>(null);
  const nodeRef = useRef(node);
  nodeRef.current = node;
  const runningRef = useRef(false);

  const run = useCallback(async () => {
    if (runningRef.current) return;
    const parsed = parsePreviewInput(inputText);
    if (!parsed.ok) return setInputError(parsed.message);
    setInputError(null);
    runningRef.current = true;
    setRunning(true);
    try {
      const current = nodeRef.current;
      const answer = await getPythonClient().preview(current, parsed.value, document.name);
      setResult({ ...answer, outcome: checkBranch(current, answer.outcome) });
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      setResult({ durationMs: 0, outcome: { ok: false, error: { code: 'worker_crashed', message }, logs: [] } });
    } finally {
      runningRef.current = false;
      setRunning(false);
    }
  }, [inputText, document.name]);

  const pin = () => {
    const parsed = parsePreviewInput(inputText);
    if (!parsed.ok) return setInputError(parsed.message);
    setInputError(null);
    update(node.id, { pinnedInput: parsed.value });
    setEditedText(null);
  };
  const unpin = () => {
    update(node.id, { pinnedInput: undefined });
    setEditedText(null);
  };

  // The line to highlight: from this preview, else from the last test run if it failed in this node.
  const runError = useRunStore((s) => {
    const trace = s.lastRun?.nodes[node.id];
    return trace?.status === 'error' ? trace.error : undefined;
  });
  const error = result ? (result.outcome.ok ? null : result.outcome.error) : (runError ?? null);
  return {
    run,
    stop: () => void getPythonClient().interrupt(),
    pin,
    unpin,
    running,
    result,
    inputText,
    setInputText: setEditedText,
    inputError,
    source: editedText === null ? fallback.source : ('edited' as const),
    pinned: node.pinnedInput !== undefined,
    errorLine: error?.line,
    errorMessage: error ? errorText(error) : undefined,
  };
}

/** A router (branch node) must return one of its routes; say so at preview time, as a run would. */
function checkBranch(node: CodeNode, outcome: PreviewRun['outcome']): PreviewRun['outcome'] {
  const routes = routesOf(node);
  if (routes === undefined || !outcome.ok) return outcome;
  const chosen: Json = outcome.output;
  if (typeof chosen === 'string' && routes.includes(chosen)) return outcome;
  const allowed = routes.map((b) => `'${b}'`).join(', ');
  const message = `${node.type} node '${node.id}' returned ${JSON.stringify(chosen)}; it must return one of ${allowed}`;
  return { ok: false, error: { code: 'invalid_branch', message }, logs: outcome.logs };
}

const SOURCE_HINT = {
  pinned: 'the sample pinned to this node',
  'last run': 'what the last test run fed this node',
  'input example': "the input node's example",
  none: 'nothing yet: type JSON, or run a test first',
  edited: 'edited here (Pin keeps it with the node)',
} as const;

function PreviewSection({ node, preview }: { node: CodeNode; preview: Preview }) {
  const inputId = useId();
  const status = usePythonStatus();
  const statusText = describePythonStatus(status);
  return (
    <section className="preview" aria-label={`Preview node ${node.id}`}>
      <div className="field">
        <label htmlFor={inputId}>Preview input (JSON)</label>
        <textarea
          id={inputId}
          className="code"
          rows={4}
          spellCheck={false}
          value={preview.inputText}
          onChange={(e) => preview.setInputText(e.target.value)}
          data-testid="preview-input"
        />
        <p className="hint">
          Input: {SOURCE_HINT[preview.source]}. Previews run here in the browser, where <code>ctx.secrets</code> is
          empty: secrets reach nodes only on the server.
        </p>
        {preview.inputError && (
          <p className="error" role="alert">
            {preview.inputError}
          </p>
        )}
      </div>
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
        <button type="button" onClick={preview.pin} disabled={preview.running} data-testid="pin-button">
          Pin input
        </button>
        {preview.pinned && (
          <button type="button" onClick={preview.unpin} disabled={preview.running}>
            Unpin
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
      {preview.result && <PreviewResultView run={preview.result} />}
    </section>
  );
}
