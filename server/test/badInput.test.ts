import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, pythonGraph, startTestServer, type TestServer } from './harness.ts';

// Issue 2's "bad input gets a clear error and loses nothing", one case per test,
// against one server whose body limit is small enough to exceed cheaply.
const LIMIT = 64 * 1024;
let s: TestServer;
let key: string;

const FAILING = [
  'def helper(x):',
  '    return x["missing"]',
  '',
  'def process(data, ctx):',
  '    print("about to fail")',
  '    return helper(data)',
  '',
].join('\n');

beforeAll(async () => {
  s = await startTestServer({ PLINTH_MAX_BODY_BYTES: String(LIMIT) });
  const withSchema = pythonGraph('keeper', 'def process(data, ctx):\n    return {"doubled": data["amount"] * 2}\n');
  const input = withSchema.nodes[0] as Record<string, unknown>;
  input.schema = { type: 'object', required: ['amount'], properties: { amount: { type: 'number' } } };
  await s.request('POST', '/api/v1/graphs', { body: withSchema });
  await s.request('POST', '/api/v1/graphs/keeper/versions');
  for (const [name, code, extra] of [
    ['raises', FAILING, {}],
    ['returns-set', 'def process(data, ctx):\n    return {1, 2}\n', {}],
    [
      'hangs',
      'import time\n\ndef process(data, ctx):\n    while True:\n        time.sleep(0.05)\n',
      { timeoutMs: 800 },
    ],
  ] as const) {
    await s.request('POST', '/api/v1/graphs', { body: pythonGraph(name, code, extra) });
    await s.request('POST', `/api/v1/graphs/${name}/versions`);
  }
  key = (await json(await s.request('POST', '/api/v1/keys', { body: { name: 'test' } }))).key;
});
afterAll(() => s?.close());

const invoke = (graph: string, body: unknown) =>
  s.request('POST', `/api/v1/graphs/${graph}/invoke`, { body, auth: key });

describe('bad input gets a clear error', () => {
  it('malformed JSON → 400 invalid_json saying where', async () => {
    const res = await s.request('POST', '/api/v1/graphs', { raw: '{"format": "plinth.graph/v1",\n  "name": oops}' });
    expect(res.status).toBe(400);
    const { error } = await json(res);
    expect(error).toMatchObject({ code: 'invalid_json', line: 2, column: 11 });
    expect(error.message).toContain('line 2, column 11');
    const onInvoke = await s.request('POST', '/api/v1/graphs/keeper/invoke', { raw: '{"amount": 1', auth: key });
    expect(onInvoke.status).toBe(400);
    expect((await json(onInvoke)).error.code).toBe('invalid_json');
  });

  it('an invalid document → 400 listing every problem, nothing saved', async () => {
    const doc = {
      format: 'plinth.graph/v1',
      name: 'Bad Name',
      nodes: [
        { id: 'input', type: 'input' },
        { id: 'x', type: 'teleport' },
      ],
      edges: [{ source: 'input', target: 'nowhere' }],
    };
    const res = await s.request('POST', '/api/v1/graphs', { body: doc });
    expect(res.status).toBe(400);
    const { error } = await json(res);
    expect(error.code).toBe('invalid_document');
    const paths = (error.problems as { path: string; message: string }[])
      .map((p) => `${p.path}: ${p.message}`)
      .join('\n');
    expect(error.problems.length).toBeGreaterThanOrEqual(4);
    expect(paths).toMatch(/name/); // bad name
    expect(paths).toMatch(/teleport|nodes\[1\]/); // unknown node type
    expect(paths).toMatch(/nowhere|edges\[0\]/); // dangling edge
    expect(paths).toMatch(/output/i); // missing output node
    const list = await json(await s.request('GET', '/api/v1/graphs'));
    expect(list.map((g: { name: string }) => g.name)).not.toContain('Bad Name');
  });

  it('unknown graph or version → 404', async () => {
    const graph = await s.request('GET', '/api/v1/graphs/no-such-graph');
    expect(graph.status).toBe(404);
    expect((await json(graph)).error).toMatchObject({ code: 'not_found', graph: 'no-such-graph' });
    expect((await invoke('no-such-graph', {})).status).toBe(404);
    const version = await s.request('POST', '/api/v1/graphs/keeper/versions/99/invoke', {
      body: { amount: 1 },
      auth: key,
    });
    expect(version.status).toBe(404);
    expect((await json(version)).error.message).toContain('no version 99');
    expect((await s.request('POST', '/api/v1/graphs/keeper/versions/99/promote')).status).toBe(404);
  });

  it('input failing the input schema → 400 invalid_input with the problems', async () => {
    const res = await invoke('keeper', { amount: 'lots' });
    expect(res.status).toBe(400);
    const { error } = await json(res);
    expect(error.code).toBe('invalid_input');
    expect(error.problems).toContainEqual(expect.objectContaining({ path: 'input.amount', nodeId: 'input' }));
    const missing = await json(await invoke('keeper', {}));
    expect(missing.error.problems).toContainEqual(expect.objectContaining({ path: 'input.amount' }));
  });

  it('a node that raises → 422 with node id, message, traceback and the right line', async () => {
    const res = await invoke('raises', { value: 1 });
    expect(res.status).toBe(422);
    const { error } = await json(res);
    expect(error).toMatchObject({ code: 'node_failed', nodeId: 'step', type: 'KeyError' });
    expect(error.message).toContain('missing');
    expect(error.traceback).toContain('line 2');
    expect(error.line).toBe(2);
  });

  it('a node returning a non-JSON value → 422 naming the node and the type', async () => {
    const res = await invoke('returns-set', {});
    expect(res.status).toBe(422);
    const { error } = await json(res);
    expect(error).toMatchObject({ code: 'invalid_output', nodeId: 'step' });
    expect(error.message).toContain('set');
  });

  it('a node that never returns → 504 naming the node', async () => {
    const res = await invoke('hangs', {});
    expect(res.status).toBe(504);
    const { error } = await json(res);
    expect(error).toMatchObject({ code: 'node_timeout', nodeId: 'step' });
    expect(error.message).toContain('step');
  });

  it('a body over the limit → 413 naming the limit and PLINTH_MAX_BODY_BYTES', async () => {
    const big = { amount: 1, padding: 'x'.repeat(LIMIT) };
    for (const res of [await invoke('keeper', big), await s.request('POST', '/api/v1/graphs', { body: big })]) {
      expect(res.status).toBe(413);
      const { error } = await json(res);
      expect(error).toMatchObject({ code: 'payload_too_large', limit: LIMIT, setting: 'PLINTH_MAX_BODY_BYTES' });
      expect(error.message).toContain(String(LIMIT));
    }
    const viaTrpc = await s.request('POST', '/trpc/graphs.create', { body: { document: big } });
    expect(viaTrpc.status).toBe(413);
    expect((await json(viaTrpc)).error.data.plinth).toMatchObject({
      code: 'payload_too_large',
      setting: 'PLINTH_MAX_BODY_BYTES',
    });
  });

  it('a missing token → 401, a wrong one → 403', async () => {
    const missing = await s.request('GET', '/api/v1/graphs', { auth: false });
    expect(missing.status).toBe(401);
    expect((await json(missing)).error.code).toBe('unauthorized');
    const wrong = await s.request('GET', '/api/v1/graphs', { auth: 'not-the-token' });
    expect(wrong.status).toBe(403);
    expect((await json(wrong)).error.code).toBe('forbidden');
    expect(
      (await s.request('POST', '/api/v1/graphs/keeper/test', { body: { input: { amount: 1 } }, auth: false })).status,
    ).toBe(401);
    expect((await invoke('keeper', { amount: 1 })).status).toBe(200);
    expect((await s.request('POST', '/api/v1/graphs/keeper/invoke', { body: { amount: 1 }, auth: false })).status).toBe(
      401,
    );
  });

  it('a request body of the wrong shape → 400 showing the expected shape and the field', async () => {
    const badKey = await s.request('POST', '/api/v1/keys', { body: { name: 5, graphs: 'keeper' } });
    expect(badKey.status).toBe(400);
    const { error } = await json(badKey);
    expect(error.code).toBe('bad_request');
    expect(error.message).toContain('{"name": "<label>"');
    expect(error.problems.map((p: { path: string }) => p.path)).toEqual(['body.name', 'body.graphs']);
    const badPublish = await s.request('POST', '/api/v1/graphs/keeper/versions', { body: { promote: 'yes' } });
    expect(badPublish.status).toBe(400);
    expect((await json(badPublish)).error.problems[0].path).toBe('body.promote');
    const noInput = await s.request('POST', '/api/v1/graphs/keeper/test', { body: { amount: 1 } });
    expect((await json(noInput)).error).toMatchObject({ code: 'bad_request', problems: [{ path: 'body.input' }] });
  });

  it('a stale If-Match → 412', async () => {
    const { document, revision } = await json(await s.request('GET', '/api/v1/graphs/keeper'));
    const res = await s.request('PUT', '/api/v1/graphs/keeper', {
      body: document,
      headers: { 'If-Match': String(revision - 1 || 99) },
    });
    expect(res.status).toBe(412);
    expect((await json(res)).error).toMatchObject({ code: 'revision_mismatch', currentRevision: revision });
  });
});

describe('after all of that', () => {
  it('the server still serves, and every draft and version is intact', async () => {
    expect((await fetch(`${s.url}/healthz`)).status).toBe(200);
    const res = await invoke('keeper', { amount: 21 });
    expect(res.status).toBe(200);
    expect(res.headers.get('plinth-version')).toBe('1');
    expect(await json(res)).toEqual({ doubled: 42 });
    const graphs = await json(await s.request('GET', '/api/v1/graphs'));
    expect(graphs.map((g: { name: string }) => g.name).sort()).toEqual(['hangs', 'keeper', 'raises', 'returns-set']);
    for (const g of graphs) {
      expect(g).toMatchObject({ revision: 1, liveVersion: 1, versionCount: 1 });
      const version = await json(await s.request('GET', `/api/v1/graphs/${g.name}/versions/1`));
      const draft = await json(await s.request('GET', `/api/v1/graphs/${g.name}`));
      expect(version.document).toEqual(draft.document);
    }
    // The worker that timed out was replaced: the graph answers again (and times out again, cleanly).
    expect((await invoke('hangs', {})).status).toBe(504);
    expect((await invoke('raises', {})).status).toBe(422);
  });
});
