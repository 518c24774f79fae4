import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
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

/** A GET with exactly this Accept-Encoding (fetch would add its own and decode the body). */
function raw(
  url: string,
  acceptEncoding: string,
): Promise<{ headers: Record<string, string | undefined>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { headers: { 'Accept-Encoding': acceptEncoding } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ headers: res.headers as Record<string, string | undefined>, body: Buffer.concat(chunks) }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

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
    // As the build leaves them: .br and .gz beside each compressible file.
    const SHELL = '<!doctype html><title>Plinth IDE</title>';
    const CODE = `export const big = ${JSON.stringify('x'.repeat(5000))};`;
    writeFileSync(path.join(client, 'index.html.br'), brotliCompressSync(SHELL));
    writeFileSync(path.join(client, 'index.html.gz'), gzipSync(SHELL));
    writeFileSync(path.join(client, 'assets', 'app-def456.js'), CODE);
    writeFileSync(path.join(client, 'assets', 'app-def456.js.br'), brotliCompressSync(CODE));
    writeFileSync(path.join(client, 'assets', 'app-def456.js.gz'), gzipSync(CODE));
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

  it('sends the precompressed copy the browser accepts, with Vary, and the same caching', async () => {
    const get = (p: string, acceptEncoding: string) => raw(`${built.url}${p}`, acceptEncoding);
    const br = await get('/assets/app-def456.js', 'gzip, deflate, br, zstd');
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers['content-type']).toMatch(/^text\/javascript/);
    expect(br.headers.vary).toMatch(/Accept-Encoding/i);
    expect(br.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(br.headers['cross-origin-embedder-policy']).toBe('require-corp');
    expect(brotliDecompressSync(br.body).toString()).toContain('export const big');
    expect(Number(br.headers['content-length'])).toBe(br.body.length);
    expect(br.body.length).toBeLessThan(200);

    const gz = await get('/assets/app-def456.js', 'gzip');
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.body).toString()).toContain('export const big');

    const plain = await get('/assets/app-def456.js', 'identity');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.headers.vary).toMatch(/Accept-Encoding/i);
    expect(plain.body.toString()).toContain('export const big');

    // The app shell, at / and at a client route: compressed, never cached without asking.
    for (const p of ['/', '/graphs/payment-scoring']) {
      const shell = await get(p, 'br');
      expect(shell.headers['content-encoding'], p).toBe('br');
      expect(shell.headers['content-type']).toMatch(/^text\/html/);
      expect(shell.headers['cache-control']).toBe('no-cache');
      expect(brotliDecompressSync(shell.body).toString()).toContain('Plinth IDE');
    }
    // A file without a compressed copy is sent as it is.
    const svg = await get('/favicon.svg', 'br');
    expect(svg.headers['content-encoding']).toBeUndefined();
    expect(svg.body.toString()).toBe('<svg/>');
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
