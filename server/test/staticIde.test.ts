import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { createApp } from '../src/http/app.ts';
import type { Runtime } from '../src/runtime/types.ts';
import { startTestServer } from './harness.ts';

// Static hosting never touches the runtime; a runtime that must not be called stands in.
const unusedRuntime: Runtime = {
  sandbox: 'none',
  run: () => Promise.reject(new Error('not used')),
  prepare: async () => {},
  needsStart: () => false,
  keepWarm: () => {},
  warm: async () => {},
  retire: async () => {},
  close: async () => {},
  stats: () => ({ pools: 0, workers: 0, busyWorkers: 0, queued: 0, spawned: 0 }),
};

function serve(clientDir: string) {
  return startTestServer({ PLINTH_CLIENT_DIR: clientDir }, { runtime: unusedRuntime });
}

const ISOLATION = {
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-embedder-policy': 'require-corp',
  'cross-origin-resource-policy': 'same-origin',
};

describe('the IDE build served at /', () => {
  let client: string;
  let built: Awaited<ReturnType<typeof serve>>;
  let missing: Awaited<ReturnType<typeof serve>>;

  beforeAll(async () => {
    client = mkdtempSync(path.join(tmpdir(), 'plinth-client-'));
    mkdirSync(path.join(client, 'assets'));
    writeFileSync(path.join(client, 'index.html'), '<!doctype html><title>Plinth IDE</title>');
    writeFileSync(path.join(client, 'assets', 'main-abc123.js'), 'console.log(1)');
    writeFileSync(path.join(client, 'favicon.svg'), '<svg/>');
    built = await serve(client);
    missing = await serve(path.join(client, 'does-not-exist'));
  });
  afterAll(async () => {
    await built?.close();
    await missing?.close();
    rmSync(client, { recursive: true, force: true });
  });

  it('sends the cross-origin isolation headers on every response', async () => {
    for (const p of [
      '/',
      '/assets/main-abc123.js',
      '/graphs/x',
      '/healthz',
      '/api/v1/graphs',
      '/trpc/system.ping',
      '/nope.js',
    ]) {
      const res = await fetch(built.url + p);
      for (const [name, value] of Object.entries(ISOLATION))
        expect(res.headers.get(name), `${name} on ${p}`).toBe(value);
    }
  });

  it('caches hashed assets for a long time and the app shell not at all', async () => {
    const asset = await fetch(`${built.url}/assets/main-abc123.js`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toContain('immutable');
    const shell = await fetch(`${built.url}/`);
    expect(await shell.text()).toContain('Plinth IDE');
    expect(shell.headers.get('cache-control')).toBe('no-cache');
  });

  it('falls back to index.html for client routes, but not for API paths or missing files', async () => {
    const route = await fetch(`${built.url}/graphs/payment-scoring`);
    expect(route.status).toBe(200);
    expect(await route.text()).toContain('Plinth IDE');
    expect((await fetch(`${built.url}/assets/missing.js`)).status).toBe(404);
    const api = await fetch(`${built.url}/api/v1/nothing-here`, {
      headers: { Authorization: `Bearer ${'x'.repeat(20)}` },
    });
    expect(api.status).toBe(404);
    expect(((await api.json()) as { error: { code: string } }).error.code).toBe('not_found');
  });

  it('answers invoke through Express too, when the app is used without the fast path', async () => {
    const app = createApp(built.plinth);
    const server: Server = await new Promise((resolve) => {
      const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
    });
    onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const res = await fetch(`${url}/api/v1/graphs/anything/invoke`, { method: 'POST', body: '{}' });
    expect(res.status).toBe(401);
    expect(res.headers.get('cross-origin-embedder-policy')).toBe('require-corp');
    const bearer = { Authorization: `Bearer ${built.token}` };
    const missing = await fetch(`${url}/api/v1/graphs/anything/versions/2/invoke`, {
      method: 'POST',
      body: '{}',
      headers: bearer,
    });
    expect(missing.status).toBe(404);
  });

  it('says to run npm run build when the IDE is not built', async () => {
    const res = await fetch(`${missing.url}/`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('npm run build');
    expect((await fetch(`${missing.url}/healthz`)).status).toBe(200);
  });
});
