import { isCodeNode, type GraphDocument } from '@plinth/shared/graph';
import { loadPython } from '../run/loadPython.ts';

/** How long the canvas may stay busy before Python starts loading anyway. */
const IDLE_TIMEOUT_MS = 2000;

/**
 * Starts loading Python (Pyodide in its worker) once the editor's canvas has been drawn and the
 * main thread is idle, so the first preview does not wait for it. Only for a graph with code to
 * preview. Returns a cancel for an editor closed before that.
 */
export function preloadPythonWhenIdle(document: GraphDocument): () => void {
  if (!document.nodes.some(isCodeNode)) return () => undefined;
  const start = () => {
    // A failure shows (and is retried) when Python is first used.
    void loadPython()
      .then((mod) => mod.getPythonClient().load())
      .catch(() => undefined);
  };
  if (typeof requestIdleCallback === 'function') {
    const id = requestIdleCallback(start, { timeout: IDLE_TIMEOUT_MS });
    return () => cancelIdleCallback(id);
  }
  const timer = setTimeout(start, IDLE_TIMEOUT_MS);
  return () => clearTimeout(timer);
}
