/**
 * The selected code node's editor: Python in Monaco, its settings, and a preview
 * that runs the node alone in the browser's Pyodide with the shared node runner.
 * It can be maximized into a node view (input left, code middle, output right).
 */
import { lazy, Suspense, useContext, useEffect, useState, type KeyboardEvent } from 'react';
import { isCodeNode, type CodeNode } from '@plinth/shared/graph';
import { nodeTypeViewOf } from '../nodeTypes/index.ts';
import { getPythonClient } from '../python/pythonClient.ts';
import { SaverContext } from '../save/SaverContext.tsx';
import { useGraphStore, useSelectedNode } from '../store/GraphStoreProvider.tsx';
import { NodeSettingsFields } from './NodeSettingsFields.tsx';
import { PreviewActions, PreviewInputField, PreviewOutput } from './PreviewControls.tsx';
import { usePreview } from './usePreview.ts';
import { useSettled } from './useSettled.ts';
import './editor.css';

// Monaco is its own chunk, fetched and created once the selecting click (or drag) is over.
const CodeEditor = lazy(() => import('./CodeEditor.tsx'));

/** The keys that maximize the node view (and restore it); Esc restores too. */
export const MAXIMIZE_SHORTCUT = 'Alt+Shift+M';
const CODE_HEIGHT = 280;

function isMaximizeKey(e: KeyboardEvent): boolean {
  return e.altKey && e.shiftKey && !e.ctrlKey && !e.metaKey && e.code === 'KeyM';
}

export function NodeEditorPanel() {
  const node = useSelectedNode();
  if (node === null || !isCodeNode(node)) return null;
  // Keyed by node, so switching nodes starts from that node's own preview state.
  return <CodeNodeEditor key={node.id} node={node} />;
}

export default NodeEditorPanel;

/**
 * One DOM tree for both layouts (CSS places the parts), so maximizing never re-creates Monaco and
 * the code keeps its cursor and undo history.
 */
function CodeNodeEditor({ node }: { node: CodeNode }) {
  const update = useGraphStore((s) => s.updateNode);
  const preview = usePreview(node);
  const settled = useSettled();
  const [maximized, setMaximized] = useState(false);
  const onSave = useSaveShortcut();
  // Python starts while the user reads and types, so the first preview does not wait for it.
  useEffect(() => {
    if (settled)
      getPythonClient()
        .load()
        .catch(() => undefined); // a failed load shows in the status line
  }, [settled]);
  const onKeyDown = (e: KeyboardEvent) => {
    if ((e.ctrlKey || e.metaKey) && e.key === 'Enter') {
      e.preventDefault();
      void preview.run();
    } else if (isMaximizeKey(e)) {
      e.preventDefault();
      setMaximized((m) => !m);
    } else if (e.key === 'Escape' && maximized && !e.defaultPrevented) {
      // Monaco keeps an Escape that closes its own widgets (suggestions, find) to itself.
      e.preventDefault();
      setMaximized(false);
    }
  };
  const { label } = nodeTypeViewOf(node).code;
  return (
    <div
      className={maximized ? 'node-editor maximized' : 'node-editor'}
      data-testid="node-editor"
      data-maximized={maximized}
      role={maximized ? 'dialog' : undefined}
      aria-modal={maximized ? true : undefined}
      aria-label={maximized ? `Node ${node.id}` : undefined}
      onKeyDown={onKeyDown}
    >
      <div className="node-editor-header">
        {maximized && <h2 className="node-editor-title">{node.id}</h2>}
        <span className="node-editor-spacer" />
        <button
          type="button"
          onClick={() => setMaximized((m) => !m)}
          title={`${maximized ? 'Restore' : 'Maximize'} (${MAXIMIZE_SHORTCUT}${maximized ? ' or Esc' : ''})`}
          aria-keyshortcuts={MAXIMIZE_SHORTCUT.replace(/\+/g, '+')}
          data-testid="maximize-editor"
        >
          {maximized ? '⤡ Restore' : '⤢ Maximize'}
        </button>
      </div>
      <div className="node-editor-body">
        <div className="field node-editor-code">
          <span className="field-label" id={`${node.id}-code-label`}>
            {label}
          </span>
          {settled ? (
            <Suspense fallback={<CodePlaceholder code={node.code} />}>
              <CodeEditor
                value={node.code}
                onChange={(code) => update(node.id, { code })}
                errorLine={preview.errorLine}
                errorMessage={preview.errorMessage}
                ariaLabel={`Python code of node ${node.id}`}
                documentName={node.id}
                onSubmit={() => void preview.run()}
                onSave={onSave.save}
                height={maximized ? '100%' : CODE_HEIGHT}
              />
            </Suspense>
          ) : (
            <CodePlaceholder code={node.code} />
          )}
          {onSave.note !== null && (
            <p className={onSave.note.ok ? 'hint' : 'error'} role="status" data-testid="format-status">
              {onSave.note.text}
            </p>
          )}
          <p className="hint">
            Ctrl+S formats (Ruff) and saves. Ctrl+Enter previews. {MAXIMIZE_SHORTCUT} maximizes. Ctrl+M switches Tab
            between indenting and moving focus.
          </p>
        </div>
        <section className="node-editor-input" aria-label={`Preview input of node ${node.id}`}>
          <PreviewInputField preview={preview} />
        </section>
        <section className="node-editor-output preview" aria-label={`Preview node ${node.id}`}>
          <PreviewActions preview={preview} />
          <PreviewOutput preview={preview} />
        </section>
        <div className="node-editor-settings">
          <NodeSettingsFields node={node} />
        </div>
      </div>
    </div>
  );
}

/** Ctrl+S in the editor: Ruff has formatted the code (or said why not); save the draft now. */
function useSaveShortcut() {
  const saver = useContext(SaverContext);
  const [note, setNote] = useState<{ ok: boolean; text: string } | null>(null);
  const save = (formatError: string | null) => {
    setNote(
      formatError === null ? { ok: true, text: 'Formatted with Ruff; saving…' } : { ok: false, text: formatError },
    );
    void saver?.flush().then((saved) => {
      if (formatError === null)
        setNote({
          ok: saved,
          text: saved ? 'Formatted with Ruff and saved.' : 'Formatted with Ruff; not saved yet (see the header).',
        });
    });
  };
  return { save, note };
}

/** The code as text, until the editor is ready. */
function CodePlaceholder({ code }: { code: string }) {
  return (
    <pre className="code code-editor-placeholder" aria-busy="true">
      {code}
    </pre>
  );
}
