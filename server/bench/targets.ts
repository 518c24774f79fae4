import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, type Managed, type ProcessSet } from './processes.ts';

export const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));
const REPO_ROOT = path.resolve(BENCH_DIR, '../..');
// Debian's binaries on purpose: `python3` on PATH may be another Python without Flask.
export const SYSTEM_PYTHON = '/usr/bin/python3';
export const GUNICORN = '/usr/bin/gunicorn';
export const GUNICORN_WORKERS = 2;

/** A running server the benchmark can invoke. */
export interface Target {
  label: string;
  url: string;
  apiKey: string;
  process: Managed;
  /** Plinth only: its REST API root and admin token, for the extra cases (publishing more graphs). */
  admin?: { api: string; token: string };
}

export interface HttpAnswer {
  status: number;
  body: unknown;
}

export async function request(
  url: string,
  init: { method?: string; token?: string; body?: unknown } = {},
): Promise<HttpAnswer> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (init.token !== undefined) headers.authorization = `Bearer ${init.token}`;
  const response = await fetch(url, {
    method: init.method ?? 'POST',
    headers,
    ...(init.body === undefined ? {} : { body: typeof init.body === 'string' ? init.body : JSON.stringify(init.body) }),
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: keep the text for the error message
  }
  return { status: response.status, body };
}

/** Polls `url` until it answers any HTTP status, failing early if the process died. */
export async function waitUntilUp(proc: Managed, url: string, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (proc.child.exitCode !== null || proc.child.signalCode !== null) {
      throw new Error(`${proc.name} exited while starting:\n${proc.output.join('\n')}`);
    }
    try {
      await fetch(url, { signal: AbortSignal.timeout(1000) });
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  throw new Error(`${proc.name} did not answer ${url} within ${timeoutMs / 1000} s:\n${proc.output.join('\n')}`);
}

export async function expectStatus(what: string, answer: Promise<HttpAnswer>, status: number): Promise<HttpAnswer> {
  const got = await answer;
  if (got.status !== status)
    throw new Error(`${what}: expected HTTP ${status}, got ${got.status}: ${JSON.stringify(got.body)}`);
  return got;
}

export function loadBenchGraph(): { name: string } & Record<string, unknown> {
  return JSON.parse(readFileSync(path.join(BENCH_DIR, 'bench-graph.json'), 'utf8')) as { name: string };
}

/** Starts Plinth on a fresh data dir, creates and publishes the benchmark graph and makes an API key. */
export async function startPlinth(processes: ProcessSet, dataDir: string, nodeArgs: string[] = []): Promise<Target> {
  const port = await freePort();
  const adminToken = randomBytes(24).toString('base64url');
  const proc = processes.start('plinth', process.execPath, [...nodeArgs, '--import', 'tsx', 'server/src/main.ts'], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      PLINTH_DATA_DIR: dataDir,
      PLINTH_ADMIN_TOKEN: adminToken,
      // The zoo's models train at first start: not while the graph is being timed.
      PLINTH_MODEL_ZOO: process.env.PLINTH_MODEL_ZOO ?? '0',
    },
  });
  const base = `http://127.0.0.1:${port}`;
  await waitUntilUp(proc, `${base}/healthz`);
  const graph = loadBenchGraph();
  const api = `${base}/api/v1`;
  await expectStatus('create the graph', request(`${api}/graphs`, { token: adminToken, body: graph }), 201);
  const published = await expectStatus(
    'publish it',
    request(`${api}/graphs/${graph.name}/versions`, { token: adminToken, body: {} }),
    201,
  );
  const key = await expectStatus(
    'create an API key',
    request(`${api}/keys`, { token: adminToken, body: { name: 'bench' } }),
    201,
  );
  const version = (published.body as { version: number }).version;
  return {
    label: `Plinth (graph ${graph.name} v${version}, node ${process.version})`,
    url: `${api}/graphs/${graph.name}/invoke`,
    apiKey: (key.body as { key: string }).key,
    process: proc,
    admin: { api, token: adminToken },
  };
}

/** Starts the Flask app on gunicorn with two sync workers. */
export async function startFlask(processes: ProcessSet): Promise<Target> {
  const port = await freePort();
  const apiKey = randomBytes(32).toString('base64url');
  const args = ['-w', String(GUNICORN_WORKERS), '-b', `127.0.0.1:${port}`, '--chdir', BENCH_DIR, 'flask_app:app'];
  const proc = processes.start('gunicorn', SYSTEM_PYTHON, [GUNICORN, ...args], {
    cwd: BENCH_DIR,
    env: { ...process.env, BENCH_API_KEY: apiKey },
  });
  const base = `http://127.0.0.1:${port}`;
  await waitUntilUp(proc, `${base}/`);
  return {
    label: `Flask on gunicorn (${GUNICORN_WORKERS} sync workers)`,
    url: `${base}/invoke`,
    apiKey,
    process: proc,
  };
}

export const UVICORN = '/usr/bin/uvicorn';

/** Starts the same app written with FastAPI (fastapi_app.py) on uvicorn with two worker processes. */
export async function startFastApi(processes: ProcessSet): Promise<Target> {
  const port = await freePort();
  const apiKey = randomBytes(32).toString('base64url');
  const args = ['--workers', String(GUNICORN_WORKERS), '--host', '127.0.0.1', '--port', String(port)];
  const proc = processes.start(
    'uvicorn',
    SYSTEM_PYTHON,
    [UVICORN, ...args, '--no-access-log', '--app-dir', BENCH_DIR, 'fastapi_app:app'],
    { cwd: BENCH_DIR, env: { ...process.env, BENCH_API_KEY: apiKey } },
  );
  const base = `http://127.0.0.1:${port}`;
  await waitUntilUp(proc, `${base}/`);
  return {
    label: `FastAPI on uvicorn (${GUNICORN_WORKERS} worker processes)`,
    url: `${base}/invoke`,
    apiKey,
    process: proc,
  };
}
