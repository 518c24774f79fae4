import { useEffect, useState } from 'react';
import { getPythonClient, type PythonStatus } from '../python/pythonClient.ts';

/** The in-browser Python's load status, kept current. */
export function usePythonStatus(): PythonStatus {
  const client = getPythonClient();
  const [status, setStatus] = useState<PythonStatus>(client.status);
  useEffect(() => {
    setStatus(client.status);
    return client.onStatus(setStatus);
  }, [client]);
  return status;
}

/** "Loading Python… 40%" and friends; null once Python is ready (or before anything started it). */
export function describePythonStatus(status: PythonStatus): string | null {
  switch (status.state) {
    case 'idle':
    case 'ready':
      return null;
    case 'downloading':
      return status.progress === null
        ? `Loading Python… ${(status.loadedBytes / 1e6).toFixed(1)} MB`
        : `Loading Python… ${Math.round(status.progress * 100)}%`;
    case 'initialising':
      return 'Starting Python…';
    case 'error':
      return status.message;
  }
}
