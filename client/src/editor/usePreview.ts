import { useCallback, useRef, useState } from 'react';
import { routesOf, type CodeNode, type Json } from '@plinth/shared/graph';
import { getPythonClient } from '../python/pythonClient.ts';
import { errorText } from '../run/errorText.ts';
import { useDocumentStructure, useGraphStore, useRunStore } from '../store/GraphStoreProvider.tsx';
import type { NodeTrace } from '@plinth/shared';
import type { PreviewRun } from './PreviewResultView.tsx';
import { defaultPreviewInput, formatPreviewInput, parsePreviewInput } from './previewInput.ts';

export type Preview = ReturnType<typeof usePreview>;

/** A code node's preview: its input box (pinned, last run's, or the example), running it in Pyodide, the answer. */
export function usePreview(node: CodeNode) {
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

  const lastTrace = lastRun?.nodes[node.id];
  // The line to highlight: from this preview, else from the last test run if it failed in this node.
  const runError = lastTrace?.status === 'error' ? lastTrace.error : undefined;
  const error = result ? (result.outcome.ok ? null : result.outcome.error) : (runError ?? null);
  return {
    run,
    stop: () => void getPythonClient().interrupt(),
    pin,
    unpin,
    running,
    result,
    /** What the last test run did in this node, shown until a preview replaces it. */
    lastRunResult: lastTrace === undefined ? null : traceAsRun(lastTrace),
    inputText,
    setInputText: setEditedText,
    inputError,
    source: editedText === null ? fallback.source : ('edited' as const),
    pinned: node.pinnedInput !== undefined,
    errorLine: error?.line,
    errorMessage: error ? errorText(error) : undefined,
  };
}

function traceAsRun(trace: NodeTrace): PreviewRun | null {
  if (trace.status === 'ok')
    return { outcome: { ok: true, output: trace.output ?? null, logs: trace.logs }, durationMs: trace.durationMs };
  if (trace.status === 'error')
    return { outcome: { ok: false, error: trace.error, logs: trace.logs }, durationMs: trace.durationMs };
  return null;
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
