/**
 * A Python code editor: Monaco (bundled, see monacoPython.ts) with syntax errors and
 * lint findings from Ruff (WebAssembly, no Python needed) as markers while typing,
 * Ctrl+S to format with Ruff and save, and the failing line of the last preview or run
 * highlighted.
 */
import Editor, { type OnMount } from '@monaco-editor/react';
import { useEffect, useRef, useState } from 'react';
import { monaco } from './monacoPython.ts';
import { formatPython, lintPython } from './ruff.ts';
import { bindDocument } from './lsp/monacoLanguageFeatures.ts';
import { getPythonLanguageClient, type LspDocument } from './lsp/pythonLanguageClient.ts';

/** How long typing must pause before the code is checked again (Ruff takes a millisecond or two). */
export const SYNTAX_CHECK_DELAY_MS = 150;
const LINT_OWNER = 'ruff';
const RUN_ERROR_OWNER = 'python-run';

export interface CodeEditorProps {
  value: string;
  onChange: (value: string) => void;
  /** 1-based line of the code where the last preview or run failed. */
  errorLine?: number | undefined;
  /** Message shown on hover over the failing line. */
  errorMessage?: string | undefined;
  ariaLabel: string;
  /**
   * The code's name for the Python language server (the node id): completion, hover, signature
   * help and type errors come from Pyright on the server when given.
   */
  documentName?: string | undefined;
  /** Ctrl/Cmd+Enter inside the editor. */
  onSubmit?: (() => void) | undefined;
  /** Ctrl/Cmd+S inside the editor, after Ruff has formatted the code (when it parses). */
  onSave?: ((formatError: string | null) => void) | undefined;
  height?: number | string;
}

type EditorInstance = Parameters<OnMount>[0];

export function CodeEditor({
  value,
  onChange,
  errorLine,
  errorMessage,
  ariaLabel,
  onSubmit,
  onSave,
  documentName,
  height = 280,
}: CodeEditorProps) {
  const [editor, setEditor] = useState<EditorInstance | null>(null);
  const submitRef = useRef(onSubmit);
  submitRef.current = onSubmit;
  const saveRef = useRef(onSave);
  saveRef.current = onSave;

  const handleMount: OnMount = (instance) => {
    // Through refs, so the commands always call the latest callbacks.
    instance.addCommand(monaco.KeyMod.CtrlCmd | monaco.KeyCode.Enter, () => submitRef.current?.());
    instance.addCommand(monaco.KeyMod.CtrlCmd | monaco.KeyCode.KeyS, () => {
      void formatInPlace(instance).then((error) => saveRef.current?.(error));
    });
    setEditor(instance);
  };

  useLintMarkers(editor, value);
  useLanguageServer(editor, documentName, value);
  useErrorLine(editor, value, errorLine, errorMessage);

  return (
    // `nokey`: React Flow's document-wide keys (Space pans, Delete removes nodes) skip it. Monaco
    // types through a plain element (EditContext), not a textarea, so it would otherwise lose every space.
    <div className="code-editor nokey" data-testid="code-editor">
      <Editor
        height={height}
        language="python"
        value={value}
        onChange={(next) => onChange(next ?? '')}
        onMount={handleMount}
        loading={<div className="code-editor-loading">Loading editor…</div>}
        options={{
          ariaLabel,
          minimap: { enabled: false },
          fontSize: 13,
          tabSize: 4,
          insertSpaces: true,
          scrollBeyondLastLine: false,
          automaticLayout: true,
          glyphMargin: true,
          renderLineHighlight: 'line',
          fixedOverflowWidgets: true,
        }}
      />
    </div>
  );
}

/** Check the code with Ruff (debounced) and show its syntax errors and findings as markers. */
function useLintMarkers(editor: EditorInstance | null, code: string): void {
  useEffect(() => {
    const model = editor?.getModel();
    if (!model) return;
    let cancelled = false;
    const timer = setTimeout(() => {
      lintPython(code)
        .then((problems) => {
          if (cancelled || model.isDisposed()) return;
          monaco.editor.setModelMarkers(
            model,
            LINT_OWNER,
            problems.map((problem) => ({
              severity: problem.severity === 'error' ? monaco.MarkerSeverity.Error : monaco.MarkerSeverity.Warning,
              message: problem.message,
              code: problem.code,
              startLineNumber: problem.startLine,
              startColumn: problem.startColumn,
              endLineNumber: problem.endLine,
              endColumn: problem.endColumn,
              source: 'Ruff',
              ...(problem.unnecessary ? { tags: [monaco.MarkerTag.Unnecessary] } : {}),
            })),
          );
        })
        .catch(() => undefined); // Ruff could not load: the code still edits, runs and shows run errors
    }, SYNTAX_CHECK_DELAY_MS);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [editor, code]);
}

/** Keep the code open in Pyright as a virtual file while the editor shows it. */
function useLanguageServer(editor: EditorInstance | null, name: string | undefined, code: string): void {
  const document = useRef<LspDocument | null>(null);
  const latest = useRef(code);
  latest.current = code;
  useEffect(() => {
    const model = editor?.getModel();
    if (!model || name === undefined) return;
    let unbind: (() => void) | null = null;
    let cancelled = false;
    getPythonLanguageClient()
      .then((client) => {
        if (cancelled || model.isDisposed()) return;
        document.current = client.open(name, latest.current);
        unbind = bindDocument(model, document.current);
      })
      // No language server (it failed to start, or the connection dropped): the editor works without it.
      .catch(() => undefined);
    return () => {
      cancelled = true;
      document.current = null;
      unbind?.();
    };
  }, [editor, name]);
  useEffect(() => document.current?.update(code), [code]);
}

/**
 * Format the editor's code with Ruff as one undoable edit, keeping the cursor on its line.
 * Resolves to why it was not formatted (code that does not parse), or null.
 */
async function formatInPlace(editor: EditorInstance): Promise<string | null> {
  const model = editor.getModel();
  if (!model) return null;
  const before = model.getValue();
  const result = await formatPython(before).catch((err: unknown) => ({
    ok: false as const,
    message: `Ruff could not load: ${err instanceof Error ? err.message : String(err)}`,
  }));
  if (!result.ok) return result.message;
  if (result.code === before || model.isDisposed() || model.getValue() !== before) return null;
  const position = editor.getPosition();
  editor.pushUndoStop();
  editor.executeEdits('ruff-format', [{ range: model.getFullModelRange(), text: result.code }]);
  editor.pushUndoStop();
  if (position) {
    const line = Math.min(position.lineNumber, model.getLineCount());
    editor.setPosition({ lineNumber: line, column: Math.min(position.column, model.getLineMaxColumn(line)) });
  }
  return null;
}

/** Highlight the line a preview or run failed at: a whole-line decoration plus an error marker. */
function useErrorLine(
  editor: EditorInstance | null,
  code: string,
  line: number | undefined,
  message: string | undefined,
): void {
  useEffect(() => {
    const model = editor?.getModel();
    if (!editor || !model) return;
    if (line === undefined || line < 1 || line > model.getLineCount()) {
      monaco.editor.setModelMarkers(model, RUN_ERROR_OWNER, []);
      return;
    }
    const range = new monaco.Range(line, 1, line, model.getLineMaxColumn(line));
    const decorations = editor.createDecorationsCollection([
      {
        range,
        options: {
          isWholeLine: true,
          className: 'plinth-error-line',
          glyphMarginClassName: 'plinth-error-glyph',
          hoverMessage: message ? { value: message } : null,
        },
      },
    ]);
    monaco.editor.setModelMarkers(model, RUN_ERROR_OWNER, [
      { severity: monaco.MarkerSeverity.Error, message: message ?? 'The run failed here', ...rangeFields(range) },
    ]);
    editor.revealLineInCenterIfOutsideViewport(line);
    return () => decorations.clear();
    // `code` is a dependency so an edit that shortens the code re-validates the line.
  }, [editor, line, message, code]);
}

function rangeFields(range: InstanceType<typeof monaco.Range>) {
  return {
    startLineNumber: range.startLineNumber,
    startColumn: range.startColumn,
    endLineNumber: range.endLineNumber,
    endColumn: range.endColumn,
  };
}

export default CodeEditor;
