import { useEffect, useState } from 'react';
import type { PythonStatus } from '../python/pythonClient.ts';
import { whenPythonLoaded } from './loadPython.ts';

/** Pyodide's first load takes a while: show its progress once something starts it. */
export function PythonLoadStatus() {
  const [status, setStatus] = useState<PythonStatus | null>(null);
  useEffect(() => {
    let unsubscribe: (() => void) | undefined;
    let active = true;
    const stopWaiting = whenPythonLoaded((mod) => {
      if (!active) return;
      unsubscribe = mod.getPythonClient().onStatus((s) => {
        if (active) setStatus(s);
      });
    });
    return () => {
      active = false;
      stopWaiting();
      unsubscribe?.();
    };
  }, []);
  if (status === null || status.state === 'idle' || status.state === 'ready') return null;
  if (status.state === 'error') return <p className="error">Python could not load in this browser: {status.message}</p>;
  const text =
    status.state === 'downloading'
      ? `Downloading Python (Pyodide)… ${status.progress === null ? `${Math.round(status.loadedBytes / 1e6)} MB` : `${Math.round(status.progress * 100)}%`}`
      : 'Starting Python…';
  return (
    <p className="hint" role="status" data-testid="python-status">
      {text}
    </p>
  );
}
