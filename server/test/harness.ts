import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import type { GraphDocumentInput } from '@plinth/shared';
import { createServer } from '../src/app.ts';
import { loadConfig, type ServerConfig } from '../src/config.ts';
import { createContextInner, type AppDeps } from '../src/context.ts';
import { openDatabase, type Db } from '../src/db/database.ts';
import { PythonEnvironments } from '../src/python/environments.ts';
import { pipSettingsFromEnv } from '../src/python/pipSettings.ts';
import { createRuntime, runtimeOptionsFromEnv, type ServerRuntime } from '../src/runtime/index.ts';
import { createServices, type Services } from '../src/services/index.ts';

/** A real server on a random port, with a temp data dir, SQLite and the real sandboxed runtime. */
export interface TestServer {
  url: string;
  token: string;
  config: ServerConfig;
  db: Db;
  runtime: ServerRuntime;
  services: Services;
  /** Virtualenvs, with the PLINTH_PIP_* settings given to startTestServer. */
  environments: PythonEnvironments;
  deps: AppDeps;
  logs: string[];
  /** fetch against the server; `auth` defaults to the admin token, false sends none. */
  request(
    method: string,
    pathname: string,
    init?: { body?: unknown; raw?: string; auth?: string | false; headers?: Record<string, string> },
  ): Promise<Response>;
  close(): Promise<void>;
}

export async function startTestServer(env: Record<string, string> = {}): Promise<TestServer> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'plinth-test-'));
  const config = loadConfig({ PLINTH_DATA_DIR: dataDir, PLINTH_CLIENT_DIR: path.join(dataDir, 'no-client'), ...env });
  // With TEST_DATABASE_URL the same suites run on PostgreSQL, each server in a fresh schema.
  const pgUrl = process.env.TEST_DATABASE_URL;
  const pgSchema = pgUrl ? `plinth_http_${process.pid}_${Date.now()}` : undefined;
  const { db, dialect } = pgUrl ? await openDatabase(pgUrl, { pgSchema }) : await openDatabase(config.databaseUrl);
  const logs: string[] = [];
  const log = (m: string) => void logs.push(m);
  const runtimeOptions = { ...runtimeOptionsFromEnv(process.env, log), workersPerPool: 1 };
  const runtime = createRuntime(runtimeOptions);
  const services = createServices({ db, dialect, runtime, log });
  const environments = new PythonEnvironments({ dataDir, runtime: runtimeOptions, ...pipSettingsFromEnv(env), log });
  const server: Server = createServer({
    ...config,
    db,
    runtime,
    services,
    environments,
    publicUrl: 'http://test',
    log,
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const deps: AppDeps = { db, runtime, services, adminToken: config.adminToken, publicUrl: url };
  return {
    url,
    token: config.adminToken,
    config,
    db,
    runtime,
    services,
    environments,
    deps,
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
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await runtime.close();
      if (pgSchema) await sql.raw(`DROP SCHEMA ${pgSchema} CASCADE`).execute(db);
      await db.destroy();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
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
