/**
 * The one lazy entry to in-browser Python: Pyodide's client code (and the worker
 * it starts) is fetched only when a run or preview first needs it.
 */
export type PythonModule = typeof import('../python/pythonClient.ts');

let loading: Promise<PythonModule> | null = null;
let loaded: PythonModule | null = null;
const listeners = new Set<(mod: PythonModule) => void>();

export function loadPython(): Promise<PythonModule> {
  loading ??= import('../python/pythonClient.ts').then((mod) => {
    loaded = mod;
    for (const listener of listeners) listener(mod);
    return mod;
  });
  return loading;
}

/** Call back once the Python module is loaded (now, if it already is). */
export function whenPythonLoaded(listener: (mod: PythonModule) => void): () => void {
  if (loaded !== null) {
    listener(loaded);
    return () => undefined;
  }
  listeners.add(listener);
  return () => listeners.delete(listener);
}
