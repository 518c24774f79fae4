import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { GraphDocumentInput } from '@plinth/shared';
import { loadConfig, type ServerConfig } from '../src/config.ts';
import { createContextInner } from '../src/context.ts';
import type { Db } from '../src/db/database.ts';
import { createPlinth, type Plinth, type PlinthOptions } from '../src/plinth.ts';
import type { PythonEnvironments } from '../src/python/environments.ts';
import type { Runtime } from '../src/runtime/index.ts';
import type { Services } from '../src/services/index.ts';

/** A real server on a random port, with a temp data dir, SQLite and the real sandboxed runtime. */
export interface TestServer {
  url: string;
  token: string;
  config: ServerConfig;
  plinth: Plinth;
  db: Db;
  runtime: Runtime;
  services: Services;
  /** Virtualenvs, with the PLINTH_PIP_* settings given to startTestServer. */
  environments: PythonEnvironments;
  /** The PostgreSQL schema this server lives in, when the suites run on TEST_DATABASE_URL. */
  pgSchema?: string;
  logs: string[];
  /** fetch against the server; `auth` defaults to the admin token, false sends none. */
  request(
    method: string,
    pathname: string,
    init?: { body?: unknown; raw?: string; auth?: string | false; headers?: Record<string, string> },
  ): Promise<Response>;
  close(): Promise<void>;
}

let servers = 0;

export async function startTestServer(
  env: Record<string, string> = {},
  options: PlinthOptions = {},
): Promise<TestServer> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'plinth-test-'));
  const config = loadConfig({
    PLINTH_DATA_DIR: dataDir,
    PLINTH_CLIENT_DIR: path.join(dataDir, 'no-client'),
    PORT: '1',
    HOST: '127.0.0.1',
    ...env,
  });
  // With TEST_DATABASE_URL the same suites run on PostgreSQL, each server in a fresh schema; a test
  // that brings its own DATABASE_URL gets exactly that database.
  const pgUrl = env.DATABASE_URL ? undefined : process.env.TEST_DATABASE_URL;
  const pgSchema = pgUrl ? `plinth_http_${process.pid}_${Date.now()}_${++servers}` : undefined;
  const logs: string[] = [];
  const plinth = await createPlinth(
    { ...config, port: 0, ...(pgUrl ? { databaseUrl: pgUrl } : {}) },
    {
      log: (m) => void logs.push(m),
      env: { ...process.env, ...env },
      runtimeOptions: { workersPerPool: 1 },
      sample: false,
      ...(pgSchema ? { pgSchema } : {}),
      ...options,
    },
  );
  const url = await plinth.listen();
  return {
    url,
    token: config.adminToken,
    config: plinth.config,
    plinth,
    db: plinth.db,
    runtime: plinth.runtime,
    services: plinth.services,
    environments: plinth.environments,
    ...(pgSchema ? { pgSchema } : {}),
    logs,
    request(method, pathname, init = {}) {
      const headers: Record<string, string> = { ...init.headers };
      const auth = init.auth === undefined ? config.adminToken : init.auth;
      if (auth !== false) headers.Authorization = `Bearer ${auth}`;
      let body: string | undefined = init.raw;
      if (init.body !== undefined) {
        body = JSON.stringify(init.body);
        headers['Content-Type'] = 'application/json';
      }
      return fetch(url + pathname, { method, headers, ...(body !== undefined ? { body } : {}) });
    },
    async close() {
      plinth.http.closeAllConnections();
      await plinth.stop();
      if (pgSchema) await dropSchema(pgUrl!, pgSchema);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function dropSchema(url: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA ${schema} CASCADE`);
  } finally {
    await client.end();
  }
}

/** A tRPC caller with the admin token, as the IDE would have. */
export { createContextInner };

/** input → one python node (`code`) → output. */
export function pythonGraph(
  name: string,
  code: string,
  extra: Partial<Record<string, unknown>> = {},
): GraphDocumentInput {
  return {
    format: 'plinth.graph/v1',
    name,
    nodes: [
      { id: 'input', type: 'input', position: { x: 0, y: 0 } },
      { id: 'step', type: 'python', position: { x: 200, y: 0 }, code, timeoutMs: 2000, ...extra },
      { id: 'output', type: 'output', position: { x: 400, y: 0 } },
    ],
    edges: [
      { source: 'input', target: 'step' },
      { source: 'step', target: 'output' },
    ],
  };
}

/** The response body as JSON; tests read loosely typed bodies on purpose, as a script would. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function json(res: Response): Promise<any> {
  const text = await res.text();
  try {
    return JSON.parse(text);
  } catch {
    throw new Error(`not JSON (status ${res.status}): ${text.slice(0, 200)}`);
  }
}
