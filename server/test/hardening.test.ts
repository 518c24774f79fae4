import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContextInner } from '../src/context.ts';
import { appRouter } from '../src/routers/_app.ts';
import { freshKey } from './runtimeFixtures.ts';
import { json, pythonGraph, startTestServer, type TestServer } from './harness.ts';

// Findings of a review done as an attacker would: each case failed before it was fixed.
let s: TestServer;
let key: string;
const ECHO = 'def process(data, ctx):\n    return {"got": data}\n';

beforeAll(async () => {
  s = await startTestServer();
  await s.request('POST', '/api/v1/graphs', { body: pythonGraph('echo', ECHO) });
  await s.request('POST', '/api/v1/graphs/echo/versions');
  key = (await json(await s.request('POST', '/api/v1/keys', { body: { name: 'caller' } }))).key;
});
afterAll(() => s?.close());

const nested = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);
const invokeRaw = (raw: string, graph = 'echo') =>
  s.request('POST', `/api/v1/graphs/${graph}/invoke`, {
    raw,
    auth: key,
    headers: { 'Content-Type': 'application/json' },
  });

describe('input that used to crash workers or the server', () => {
  it('refuses deeply nested invoke input at the edge, naming the setting, and the worker lives on', async () => {
    const before = s.runtime.stats().spawned;
    for (let i = 0; i < 3; i++) {
      const res = await invokeRaw(nested(1000));
      expect(res.status).toBe(400);
      const { error } = await json(res);
      expect(error).toMatchObject({ code: 'invalid_json', setting: 'PLINTH_MAX_JSON_DEPTH', limit: 100 });
    }
    expect(await json(await invokeRaw('{"fine": [[1]]}'))).toEqual({ got: { fine: [[1]] } });
    expect(s.runtime.stats().spawned).toBe(before);
  });

  it('answers 400, not 500, for 10,000-level nesting in a document and in a test run', async () => {
    const doc = pythonGraph('deep', ECHO) as { nodes: Record<string, unknown>[] };
    doc.nodes[0]!.example = 'DEEP';
    const raw = JSON.stringify(doc).replace('"DEEP"', nested(10_000));
    const created = await s.request('POST', '/api/v1/graphs', { raw, headers: { 'Content-Type': 'application/json' } });
    expect(created.status).toBe(400);
    expect((await json(created)).error.code).toBe('invalid_json');
    const test = await s.request('POST', '/api/v1/graphs/echo/test', {
      raw: `{"input": ${nested(10_000)}}`,
      headers: { 'Content-Type': 'application/json' },
    });
    expect(test.status).toBe(400);
    // The IDE's door (tRPC) refuses it the same way, in tRPC's envelope.
    const trpc = await fetch(`${s.url}/trpc/graphs.create`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${s.token}`, 'Content-Type': 'application/json' },
      body: `{"document": ${raw}}`,
    });
    expect(trpc.status).toBe(400);
    expect((await json(trpc)).error.data.plinth).toMatchObject({
      code: 'invalid_json',
      setting: 'PLINTH_MAX_JSON_DEPTH',
    });
    // And a document that reaches the validator by another door (here a direct call) is refused too.
    const admin = appRouter.createCaller(createContextInner(s.plinth));
    await expect(admin.graphs.create({ document: JSON.parse(raw) })).rejects.toMatchObject({
      cause: { code: 'invalid_document' },
    });
  });

  it('cannot kill a worker with input that gets past the edge: the node errs, the worker stays', async () => {
    const graph = (await s.services.graphs.get('echo')).document;
    const poolKey = freshKey('deep');
    const deep = JSON.parse(nested(5000));
    const trace = await s.runtime.run({ poolKey, graph, input: deep, version: null });
    expect(trace.error).toMatchObject({ nodeId: 'step', code: 'node_failed', type: 'RecursionError' });
    expect(trace.error!.message).toContain('was not run');
    const spawned = s.runtime.stats().spawned;
    const after = await s.runtime.run({ poolKey, graph, input: 1, version: null });
    expect(after.output).toEqual({ got: 1 });
    expect(s.runtime.stats().spawned).toBe(spawned);
  });

  it('refuses numbers JSON cannot carry and bodies that are not UTF-8, instead of changing them', async () => {
    const huge = await invokeRaw('{"amount": 1e999}');
    expect(huge.status).toBe(400);
    expect((await json(huge)).error.message).toContain('.amount');
    const latin1 = await s.request('POST', '/api/v1/graphs/echo/invoke', {
      raw: Buffer.from('{"name": "caf\xe9"}', 'latin1') as unknown as string,
      auth: key,
    });
    expect(latin1.status).toBe(400);
    expect((await json(latin1)).error.message).toContain('not valid UTF-8 (the first bad byte is at offset 14)');
  });

  it('answers a 100 KB URL with 431 instead of dropping the connection', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(`${s.url}/api/v1/graphs/${'x'.repeat(100_000)}/invoke`, { method: 'POST' }, (res) => {
        res.resume();
        resolve(res.statusCode!);
      });
      req.on('error', reject);
      req.end('{}');
    });
    expect(status).toBe(431);
  });

  it('answers a NUL in a key name or graph name with 400, and keeps one in a secret value, on every database', async () => {
    const res = await s.request('POST', '/api/v1/keys', { body: { name: 'bad\u0000name' } });
    expect(res.status).toBe(400);
    expect((await json(res)).error.problems[0].path).toBe('name');
    const graph = await s.request('POST', '/api/v1/graphs', { body: pythonGraph('nul\u0000graph', ECHO) });
    expect(graph.status).toBe(400);
    expect((await json(graph)).error.problems[0].path).toBe('name');
    // A secret value may hold any text: it is sealed before it reaches the database.
    const secret = await s.request('POST', '/api/v1/secrets', { body: { name: 'WITH_NUL', value: 'a\u0000b-secret' } });
    expect(secret.status).toBe(201);
    await s.request('POST', '/api/v1/graphs', {
      body: {
        ...pythonGraph('reads-nul', 'def process(data, ctx):\n    return len(ctx.secrets["WITH_NUL"])\n'),
        secrets: ['WITH_NUL'],
      },
    });
    await s.request('POST', '/api/v1/graphs/reads-nul/versions');
    expect(await json(await s.request('POST', '/api/v1/graphs/reads-nul/invoke', { body: {} }))).toBe(10);
  });

  it('refuses the node id __proto__, which a trace keyed by id would lose', async () => {
    const doc = pythonGraph('protos', ECHO) as { nodes: { id: string }[]; edges: { source: string; target: string }[] };
    doc.nodes[1]!.id = '__proto__';
    doc.edges = [
      { source: 'input', target: '__proto__' },
      { source: '__proto__', target: 'output' },
    ];
    const res = await s.request('POST', '/api/v1/graphs', { body: doc });
    expect(res.status).toBe(400);
    expect((await json(res)).error.problems).toContainEqual(
      expect.objectContaining({ path: 'nodes[1].id', message: expect.stringContaining('reserved') }),
    );
  });
});

describe('keys and metrics', () => {
  it("scopes a key by the graph's id: a new graph of a deleted graph's name is out of its reach", async () => {
    await s.request('POST', '/api/v1/graphs', { body: pythonGraph('reborn', ECHO) });
    await s.request('POST', '/api/v1/graphs/reborn/versions');
    const scoped = (await json(await s.request('POST', '/api/v1/keys', { body: { name: 'r', graphs: ['reborn'] } })))
      .key;
    const call = () => s.request('POST', '/api/v1/graphs/reborn/invoke', { body: 1, auth: scoped });
    expect((await call()).status).toBe(200);
    await s.request('DELETE', '/api/v1/graphs/reborn');
    await s.request('POST', '/api/v1/graphs', { body: pythonGraph('reborn', ECHO) });
    await s.request('POST', '/api/v1/graphs/reborn/versions');
    expect((await call()).status).toBe(403);
    const missing = await s.request('POST', '/api/v1/keys', { body: { name: 'm', graphs: ['never-was'] } });
    expect(missing.status).toBe(400);
    expect((await json(missing)).error.message).toContain('never-was');
  });

  it('cannot be forged or blown up through invoke URLs: only existing graphs become labels', async () => {
    const forged = encodeURIComponent('x"} 1\nplinth_forged_total{a="');
    expect((await s.request('POST', `/api/v1/graphs/${forged}/invoke`, { body: 1, auth: key })).status).toBe(404);
    const size = async () => (await (await s.request('GET', '/metrics')).text()).length;
    const before = await size();
    for (let batch = 0; batch < 5; batch++) {
      await Promise.all(
        Array.from({ length: 100 }, (_, i) =>
          s.request('POST', `/api/v1/graphs/nope-${batch * 100 + i}/invoke`, { body: 1, auth: key }),
        ),
      );
    }
    const text = await (await s.request('GET', '/metrics')).text();
    expect(text).not.toContain('plinth_forged');
    expect(text).not.toContain('nope-');
    expect(text.length - before).toBeLessThan(2000); // 500 unknown names left no trace
  });
});

describe('what the IDE page sends', () => {
  it('sends a Content-Security-Policy, nosniff, no referrer and no framing on every answer', async () => {
    const answered = await invokeRaw('{}');
    const refused = await invokeRaw('{"not json');
    // An invoke's answer writes its headers in one go (see handleInvoke): both kinds carry them.
    expect([answered.status, refused.status]).toEqual([200, 400]);
    expect(answered.headers.get('plinth-run-id')).toMatch(/^[0-9a-f-]{36}$/);
    for (const res of [await s.request('GET', '/'), answered, refused, await s.request('GET', '/healthz')]) {
      expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("default-src 'self'");
      // No inline script and nothing from elsewhere: only this origin's files run.
      const scriptSrc = csp.split(';').find((d) => d.trim().startsWith('script-src')) ?? '';
      expect(scriptSrc.trim().split(/\s+/).slice(1).sort()).toEqual(["'self'", "'unsafe-eval'", "'wasm-unsafe-eval'"]);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
      expect(res.headers.get('x-frame-options')).toBe('DENY');
    }
  });
});
