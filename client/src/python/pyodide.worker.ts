/// <reference lib="webworker" />
/**
 * The Pyodide Web Worker: Python for previews and browser runs, off the main thread.
 * Pyodide is loaded from the app's own origin (`/pyodide/`, copied there by
 * vite.config.ts), never from a CDN.
 */
import { expose } from 'comlink';
import type { loadPyodide as LoadPyodide } from 'pyodide';
import runnerSource from '../../../sandbox-images/runner/plinth_runner.py?raw';
import bridgeSource from './plinth_bridge.py?raw';
import { fetchWithProgress } from './fetchWithProgress.ts';
import type { PythonStatus, PythonWorkerApi, WorkerInitOptions } from './protocol.ts';
import { PythonSession } from './pythonSession.ts';
import { loadWheels } from './wheelLoader.ts';

/** The big files Pyodide fetches while loading; fetched once here so their download shows progress. */
const LARGE_ASSETS = ['pyodide.asm.wasm', 'python_stdlib.zip'] as const;

let sessionPromise: Promise<PythonSession> | null = null;

function session(): Promise<PythonSession> {
  if (!sessionPromise) return Promise.reject(new Error('Python worker used before init()'));
  return sessionPromise;
}

async function boot(options: WorkerInitOptions, onStatus: (status: PythonStatus) => void): Promise<PythonSession> {
  try {
    const indexURL = new URL(options.indexURL, self.location.href).href;
    onStatus({ state: 'downloading', progress: 0, loadedBytes: 0 });
    const urls = LARGE_ASSETS.map((name) => indexURL + name);
    let shown = -1; // one message per whole percent (or per 100 kB when the size is unknown), not per chunk
    const prefetched = await fetchWithProgress(urls, (loadedBytes, totalBytes) => {
      const step = totalBytes ? Math.floor((loadedBytes / totalBytes) * 100) : Math.floor(loadedBytes / 100_000);
      if (step === shown) return;
      shown = step;
      onStatus({ state: 'downloading', progress: totalBytes ? loadedBytes / totalBytes : null, loadedBytes });
    });
    serveFromMemory(prefetched);
    onStatus({ state: 'initialising' });
    const module = (await import(/* @vite-ignore */ `${indexURL}pyodide.mjs`)) as { loadPyodide: typeof LoadPyodide };
    const pyodide = await module.loadPyodide({ indexURL });
    const python = PythonSession.install(
      pyodide,
      { runner: runnerSource, bridge: bridgeSource },
      options.interruptBuffer,
    );
    onStatus({ state: 'ready' });
    return python;
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    onStatus({ state: 'error', message: `Python could not load: ${message}` });
    throw err;
  }
}

/** Answer Pyodide's own fetches of the prefetched files from memory instead of downloading them twice. */
function serveFromMemory(files: Map<string, Response>): void {
  const networkFetch = self.fetch.bind(self);
  self.fetch = (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(input instanceof Request ? input.url : input.toString(), self.location.href).href;
    const response = files.get(url);
    if (response) {
      files.delete(url);
      return Promise.resolve(response);
    }
    return networkFetch(input, init);
  };
}

const api: PythonWorkerApi = {
  async init(options, onStatus) {
    sessionPromise ??= boot(options, onStatus);
    await sessionPromise;
  },
  async ready() {
    await session();
  },
  async checkSyntax(code) {
    return (await session()).checkSyntax(code);
  },
  async runNode(node, data, ctx) {
    return (await session()).runNode(node, data, ctx);
  },
  async loadWheels(wheels, token) {
    return loadWheels(await session(), wheels, { baseUrl: self.location.origin, token });
  },
  async endRun(runId) {
    (await session()).endRun(runId);
  },
};

expose(api);
