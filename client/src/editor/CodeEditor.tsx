/**
 * A Python code editor: Monaco (bundled, see monacoPython.ts) with syntax errors
 * from Python's own parser as red markers while typing, and the failing line of
 * the last preview or run highlighted.
 */
import Editor, { type OnMount } from '@monaco-editor/react';
import { useEffect, useRef, useState } from 'react';
import { getPythonClient } from '../python/pythonClient.ts';
import { monaco } from './monacoPython.ts';

/** How long typing must pause before the code is parsed again. */
export const SYNTAX_CHECK_DELAY_MS = 300;
const SYNTAX_OWNER = 'python-syntax';
const RUN_ERROR_OWNER = 'python-run';

export interface CodeEditorProps {
  value: string;
  onChange: (value: string) => void;
  /** 1-based line of the code where the last preview or run failed. */
  errorLine?: number | undefined;
  /** Message shown on hover over the failing line. */
  errorMessage?: string | undefined;
  ariaLabel: string;
  /** Ctrl/Cmd+Enter inside the editor. */
  onSubmit?: (() => void) | undefined;
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
  height = 280,
}: CodeEditorProps) {
  const [editor, setEditor] = useState<EditorInstance | null>(null);
  const submitRef = useRef(onSubmit);
  submitRef.current = onSubmit;

  const handleMount: OnMount = (instance) => {
    // Through a ref, so the command always calls the latest onSubmit.
    instance.addCommand(monaco.KeyMod.CtrlCmd | monaco.KeyCode.Enter, () => submitRef.current?.());
    setEditor(instance);
  };

  useSyntaxMarkers(editor, value);
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

/** Parse the code (debounced) and show what Python's parser finds as markers. */
function useSyntaxMarkers(editor: EditorInstance | null, code: string): void {
  useEffect(() => {
    const model = editor?.getModel();
    if (!model) return;
    let cancelled = false;
    const timer = setTimeout(() => {
      getPythonClient()
        .checkSyntax(code)
        .then((problems) => {
          if (cancelled || model.isDisposed()) return;
          monaco.editor.setModelMarkers(
            model,
            SYNTAX_OWNER,
            problems.map((problem) => ({
              severity: problem.severity === 'error' ? monaco.MarkerSeverity.Error : monaco.MarkerSeverity.Warning,
              message: problem.message,
              startLineNumber: problem.line,
              startColumn: problem.column,
              endLineNumber: problem.endLine ?? problem.line,
              // A zero-width range would not show: mark at least one character.
              endColumn: Math.max(problem.endColumn ?? problem.column + 1, problem.column + 1),
              source: 'Python',
            })),
          );
        })
        .catch(() => undefined); // Python failed to load: the status line already says so
    }, SYNTAX_CHECK_DELAY_MS);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [editor, code]);
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
