import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.ts';
import { json, pythonGraph, startTestServer, type TestServer } from './harness.ts';

const ALLOWED = 'http://app.allowed.test:8080';
let s: TestServer;
let closed: TestServer;
let key: string;

beforeAll(async () => {
  s = await startTestServer({ PLINTH_CORS_ORIGINS: `${ALLOWED}, https://other.allowed.test` });
  closed = await startTestServer();
  for (const server of [s, closed]) {
    await server.request('POST', '/api/v1/graphs', {
      body: pythonGraph('echo', 'def process(data, ctx):\n    return data\n'),
    });
    await server.request('POST', '/api/v1/graphs/echo/versions');
  }
  key = (await json(await s.request('POST', '/api/v1/keys', { body: { name: 'page' } }))).key;
});
afterAll(async () => {
  await s?.close();
  await closed?.close();
});

const preflight = (server: TestServer, path: string, origin: string) =>
  fetch(`${server.url}${path}`, {
    method: 'OPTIONS',
    headers: {
      Origin: origin,
      'Access-Control-Request-Method': 'POST',
      'Access-Control-Request-Headers': 'authorization, content-type',
    },
  });

describe('CORS for the invoke and OpenAPI endpoints (PLINTH_CORS_ORIGINS)', () => {
  it('answers a preflight from an allowed origin, for live and pinned invoke and openapi.json', async () => {
    for (const path of [
      '/api/v1/graphs/echo/invoke',
      '/api/v1/graphs/echo/versions/1/invoke',
      '/api/v1/graphs/echo/openapi.json',
    ]) {
      const res = await preflight(s, path, ALLOWED);
      expect(res.status, path).toBe(204);
      expect(res.headers.get('access-control-allow-origin')).toBe(ALLOWED);
      expect(res.headers.get('access-control-allow-headers')).toContain('Authorization');
      expect(res.headers.get('access-control-allow-methods')).toContain('POST');
    }
  });

  it('lets an allowed page read the answer and its Plinth-Version header', async () => {
    const res = await fetch(`${s.url}/api/v1/graphs/echo/invoke`, {
      method: 'POST',
      headers: { Origin: ALLOWED, Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ a: 1 }),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ a: 1 });
    expect(res.headers.get('access-control-allow-origin')).toBe(ALLOWED);
    expect(res.headers.get('access-control-expose-headers')).toContain('Plinth-Version');
    const spec = await fetch(`${s.url}/api/v1/graphs/echo/openapi.json`, {
      headers: { Origin: ALLOWED, Authorization: `Bearer ${key}` },
    });
    expect(spec.status).toBe(200);
    expect(spec.headers.get('access-control-allow-origin')).toBe(ALLOWED);
  });

  it('refuses a preflight from another origin, naming the setting, and adds no CORS header for it', async () => {
    const res = await preflight(s, '/api/v1/graphs/echo/invoke', 'http://evil.test');
    expect(res.status).toBe(403);
    expect((await json(res)).error).toMatchObject({ code: 'forbidden', setting: 'PLINTH_CORS_ORIGINS' });
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    const post = await fetch(`${s.url}/api/v1/graphs/echo/invoke`, {
      method: 'POST',
      headers: { Origin: 'http://evil.test', Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
      body: '1',
    });
    expect(post.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('allows no origin by default, and never the admin endpoints', async () => {
    expect((await preflight(closed, '/api/v1/graphs/echo/invoke', ALLOWED)).status).toBe(403);
    const admin = await preflight(s, '/api/v1/graphs', ALLOWED);
    expect(admin.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('refuses a setting that is not a list of origins', () => {
    expect(() =>
      loadConfig({ ...process.env, PLINTH_DATA_DIR: s.config.dataDir, PLINTH_CORS_ORIGINS: 'app.test/x' }),
    ).toThrow('PLINTH_CORS_ORIGINS: "app.test/x" is not an origin');
    expect(() =>
      loadConfig({ ...process.env, PLINTH_DATA_DIR: s.config.dataDir, PLINTH_CORS_ORIGINS: 'https://app.test/path' }),
    ).toThrow('must be just scheme://host[:port]');
  });
});
