import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, pythonGraph, startTestServer, type TestServer } from './harness.ts';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(() => s?.close());

const doubler = (name: string, factor: number) =>
  pythonGraph(
    name,
    `FACTOR = ${factor}\n\ndef process(data, ctx):\n    return {"value": data["value"] * FACTOR, "version": ctx.version}\n`,
  );

describe('REST API over real HTTP with real sandboxed workers', () => {
  it('answers /healthz without auth', async () => {
    const res = await fetch(`${s.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('creates, lists, reads, updates with If-Match, renames and deletes a draft', async () => {
    const created = await s.request('POST', '/api/v1/graphs', { body: doubler('crud', 2) });
    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toBe('/api/v1/graphs/crud');
    expect(await json(created)).toEqual({ name: 'crud', revision: 1 });

    const list = await json(await s.request('GET', '/api/v1/graphs'));
    expect(list).toContainEqual(
      expect.objectContaining({ name: 'crud', revision: 1, liveVersion: null, versionCount: 0 }),
    );

    const got = await s.request('GET', '/api/v1/graphs/crud');
    expect(got.headers.get('etag')).toBe('"1"');
    const draft = await json(got);
    expect(draft.revision).toBe(1);
    expect(draft.document.nodes[1].code).toContain('FACTOR = 2');

    const saved = await s.request('PUT', '/api/v1/graphs/crud', {
      body: doubler('crud', 3),
      headers: { 'If-Match': '1' },
    });
    expect(saved.status).toBe(200);
    expect(await json(saved)).toEqual({ name: 'crud', revision: 2 });

    // Someone still holding revision 1 must not overwrite revision 2.
    const stale = await s.request('PUT', '/api/v1/graphs/crud', {
      body: doubler('crud', 4),
      headers: { 'If-Match': '"1"' },
    });
    expect(stale.status).toBe(412);
    const staleBody = await json(stale);
    expect(staleBody.error).toMatchObject({ code: 'revision_mismatch', currentRevision: 2, expectedRevision: 1 });
    expect((await json(await s.request('GET', '/api/v1/graphs/crud'))).document.nodes[1].code).toContain('FACTOR = 3');

    // Renaming is saving the document with another name.
    await s.request('POST', '/api/v1/graphs', { body: doubler('taken', 1) });
    const clash = await s.request('PUT', '/api/v1/graphs/crud', { body: doubler('taken', 3) });
    expect(clash.status).toBe(409);
    expect((await json(clash)).error.code).toBe('conflict');
    const renamed = await s.request('PUT', '/api/v1/graphs/crud', {
      body: doubler('crud-renamed', 3),
      headers: { 'If-Match': '2' },
    });
    expect(await json(renamed)).toEqual({ name: 'crud-renamed', revision: 3 });
    expect((await s.request('GET', '/api/v1/graphs/crud')).status).toBe(404);

    expect((await s.request('DELETE', '/api/v1/graphs/crud-renamed')).status).toBe(204);
    expect((await s.request('GET', '/api/v1/graphs/crud-renamed')).status).toBe(404);
    expect((await s.request('DELETE', '/api/v1/graphs/crud-renamed')).status).toBe(404);
  });

  it('tests the draft in the sandbox and returns every node trace', async () => {
    await s.request('POST', '/api/v1/graphs', {
      body: pythonGraph(
        'drafty',
        'def process(data, ctx):\n    print("got", data)\n    return {"sum": sum(data["xs"]), "version": ctx.version}\n',
      ),
    });
    const res = await s.request('POST', '/api/v1/graphs/drafty/test', { body: { input: { xs: [1, 2, 3] } } });
    expect(res.status).toBe(200);
    const trace = await json(res);
    expect(trace.error).toBeNull();
    expect(trace.output).toEqual({ sum: 6, version: null });
    expect(trace.nodes.step.status).toBe('ok');
    expect(trace.nodes.step.logs).toContainEqual({ stream: 'stdout', text: expect.stringContaining('got {') });
  });

  it('publishes immutable versions, invokes live and pinned, promotes and rolls back', async () => {
    await s.request('POST', '/api/v1/graphs', { body: doubler('pub', 2) });
    const v1 = await s.request('POST', '/api/v1/graphs/pub/versions');
    expect(v1.status).toBe(201);
    expect(await json(v1)).toEqual({ version: 1, live: true });

    const invoke = (path: string, body: unknown = { value: 21 }) =>
      s.request('POST', `/api/v1/graphs/pub${path}`, { body });
    let res = await invoke('/invoke');
    expect(res.status).toBe(200);
    expect(res.headers.get('plinth-version')).toBe('1');
    expect(res.headers.get('cross-origin-embedder-policy')).toBe('require-corp');
    expect(await json(res)).toEqual({ value: 42, version: 1 });

    // Editing the draft changes nothing that is published.
    const draft = await json(await s.request('GET', '/api/v1/graphs/pub'));
    await s.request('PUT', '/api/v1/graphs/pub', {
      body: doubler('pub', 10),
      headers: { 'If-Match': String(draft.revision) },
    });
    expect(await json(await invoke('/invoke'))).toEqual({ value: 42, version: 1 });

    // v2 is published without going live, then promoted.
    expect(await json(await s.request('POST', '/api/v1/graphs/pub/versions', { body: { promote: false } }))).toEqual({
      version: 2,
      live: false,
    });
    expect((await invoke('/invoke')).headers.get('plinth-version')).toBe('1');
    res = await invoke('/versions/2/invoke');
    expect(res.headers.get('plinth-version')).toBe('2');
    expect(await json(res)).toEqual({ value: 210, version: 2 });

    expect((await s.request('POST', '/api/v1/graphs/pub/versions/2/promote')).status).toBe(200);
    res = await invoke('/invoke');
    expect(res.headers.get('plinth-version')).toBe('2');
    expect(await json(res)).toEqual({ value: 210, version: 2 });
    expect(await json(await s.request('GET', '/api/v1/graphs/pub/versions'))).toEqual([
      { version: 1, createdAt: expect.any(String), live: false, models: {}, note: null },
      { version: 2, createdAt: expect.any(String), live: true, models: {}, note: null },
    ]);

    // Rollback is promoting the older one.
    await s.request('POST', '/api/v1/graphs/pub/versions/1/promote');
    res = await invoke('/invoke');
    expect(res.headers.get('plinth-version')).toBe('1');
    expect(await json(res)).toEqual({ value: 42, version: 1 });
    const v1doc = await json(await s.request('GET', '/api/v1/graphs/pub/versions/1'));
    expect(v1doc.document.nodes[1].code).toContain('FACTOR = 2');

    // Many callers at once while a new version goes live: every call answers, from v1 or v3.
    const calls = Array.from({ length: 40 }, (_, i) => invoke('/invoke', { value: i }));
    const published = s.request('POST', '/api/v1/graphs/pub/versions');
    const answers = await Promise.all(calls);
    expect((await json(await published)).version).toBe(3);
    for (const answer of answers) {
      expect(answer.status).toBe(200);
      expect(['1', '3']).toContain(answer.headers.get('plinth-version'));
    }
    expect((await invoke('/invoke')).headers.get('plinth-version')).toBe('3');
    await s.request('POST', '/api/v1/graphs/pub/versions/1/promote');

    // A warm invoke starts no process.
    const before = s.runtime.stats().spawned;
    for (let i = 0; i < 5; i++) expect((await invoke('/invoke', { value: i })).status).toBe(200);
    expect(s.runtime.stats().spawned).toBe(before);
  });

  it('stores API keys hashed, shows them once, and enforces their graph scope', async () => {
    await s.request('POST', '/api/v1/graphs', { body: doubler('scoped-a', 2) });
    await s.request('POST', '/api/v1/graphs', { body: doubler('scoped-b', 3) });
    await s.request('POST', '/api/v1/graphs/scoped-a/versions');
    await s.request('POST', '/api/v1/graphs/scoped-b/versions');

    const created = await s.request('POST', '/api/v1/keys', { body: { name: 'only a', graphs: ['scoped-a'] } });
    expect(created.status).toBe(201);
    const { key, id } = await json(created);
    expect(key).toMatch(/^plk_[A-Za-z0-9_-]{43}$/);
    const anyKey = (await json(await s.request('POST', '/api/v1/keys', { body: { name: 'everything' } })))
      .key as string;

    const call = (graph: string, auth: string | false) =>
      s.request('POST', `/api/v1/graphs/${graph}/invoke`, { body: { value: 1 }, auth });
    expect((await call('scoped-a', key)).status).toBe(200);
    const outOfScope = await call('scoped-b', key);
    expect(outOfScope.status).toBe(403);
    expect((await json(outOfScope)).error.message).toContain('scoped-b');
    expect((await call('scoped-b', anyKey)).status).toBe(200);
    expect((await call('scoped-a', 'plk_not-a-real-key')).status).toBe(403);
    expect((await call('scoped-a', false)).status).toBe(401);
    // An API key is not an admin token.
    expect((await s.request('GET', '/api/v1/graphs', { auth: key })).status).toBe(403);

    const listed = await json(await s.request('GET', '/api/v1/keys'));
    expect(listed).toContainEqual({ id, name: 'only a', graphs: ['scoped-a'], createdAt: expect.any(String) });
    expect(JSON.stringify(listed)).not.toContain(key);

    // Nowhere in the database (its rows, its file, its write-ahead log) is the key in plain text.
    const rows = JSON.stringify(await s.db.selectFrom('api_keys').selectAll().execute());
    expect(rows).not.toContain(key.slice(4));
    const dbFile = s.config.databaseUrl.slice('sqlite:'.length);
    for (const file of [dbFile, `${dbFile}-wal`]) {
      let bytes: Buffer;
      try {
        bytes = readFileSync(file);
      } catch {
        continue;
      }
      expect(bytes.includes(Buffer.from(key))).toBe(false);
      expect(bytes.includes(Buffer.from(key.slice(4)))).toBe(false);
    }

    expect((await s.request('DELETE', `/api/v1/keys/${id}`)).status).toBe(204);
    expect((await call('scoped-a', key)).status).toBe(403);
  });

  it("describes a graph's invoke endpoints as OpenAPI 3.1 from its input schema", async () => {
    const doc = pythonGraph('described', 'def process(data, ctx):\n    return data\n');
    Object.assign(doc.nodes[0]!, {
      schema: { type: 'object', required: ['amount'], properties: { amount: { type: 'number' } } },
      example: { amount: 5 },
    });
    await s.request('POST', '/api/v1/graphs', { body: doc });
    await s.request('POST', '/api/v1/graphs/described/versions');
    const { key } = await json(
      await s.request('POST', '/api/v1/keys', { body: { name: 'docs', graphs: ['described'] } }),
    );
    const res = await s.request('GET', '/api/v1/graphs/described/openapi.json', { auth: key });
    expect(res.status).toBe(200);
    const spec = await json(res);
    expect(spec.openapi).toBe('3.1.0');
    expect(spec.info.version).toBe('1');
    expect(spec.servers[0].url).toBe(s.url);
    const post = spec.paths['/api/v1/graphs/described/invoke'].post;
    expect(post.requestBody.content['application/json']).toEqual({
      schema: { type: 'object', required: ['amount'], properties: { amount: { type: 'number' } } },
      example: { amount: 5 },
    });
    expect(Object.keys(post.responses)).toEqual(expect.arrayContaining(['200', '400', '422', '504']));
    expect((await s.request('GET', '/api/v1/graphs/described/openapi.json', { auth: false })).status).toBe(401);
    expect((await s.request('GET', '/api/v1/graphs/pub/openapi.json', { auth: key })).status).toBe(403);
  });

  it('exposes invoke counts and runtime gauges at /metrics for the admin', async () => {
    const res = await s.request('GET', '/metrics');
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toMatch(/^plinth_runs_total\{graph="pub",kind="invoke",status="200"\} \d+$/m);
    expect(text).toMatch(/^plinth_runs_total\{graph="drafty",kind="test",status="200"\} 1$/m);
    expect(text).toMatch(/^plinth_runtime_spawned \d+$/m);
    expect(text).toContain('plinth_runtime_sandboxed 1');
    expect((await s.request('GET', '/metrics', { auth: false })).status).toBe(401);
  });

  it("runs node code without the server's environment: no admin token, no settings", async () => {
    process.env.PLINTH_TEST_CANARY = 'canary-7f3a';
    try {
      await s.request('POST', '/api/v1/graphs', {
        body: pythonGraph('env-probe', 'import os\n\ndef process(data, ctx):\n    return {"env": dict(os.environ)}\n'),
      });
      const trace = await json(await s.request('POST', '/api/v1/graphs/env-probe/test', { body: { input: {} } }));
      expect(trace.error).toBeNull();
      const seen = JSON.stringify(trace.output);
      expect(seen).not.toContain(s.token);
      expect(seen).not.toContain('canary-7f3a');
      expect(seen).not.toContain('PLINTH_');
    } finally {
      delete process.env.PLINTH_TEST_CANARY;
    }
  });

  it('passes secrets to ctx.secrets without ever returning their values', async () => {
    expect((await s.request('POST', '/api/v1/secrets', { body: { name: 'API_TOKEN', value: 's3cret' } })).status).toBe(
      201,
    );
    await s.request('POST', '/api/v1/graphs', {
      body: {
        ...pythonGraph('secretive', 'def process(data, ctx):\n    return {"len": len(ctx.secrets["API_TOKEN"])}\n'),
        secrets: ['API_TOKEN'],
      },
    });
    const trace = await json(await s.request('POST', '/api/v1/graphs/secretive/test', { body: { input: {} } }));
    expect(trace.output).toEqual({ len: 6 });
    const listed = await json(await s.request('GET', '/api/v1/secrets'));
    expect(listed).toEqual([{ name: 'API_TOKEN', createdAt: expect.any(String), updatedAt: expect.any(String) }]);
    expect(JSON.stringify(listed)).not.toContain('s3cret');
  });
});
