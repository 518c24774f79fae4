import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, pythonGraph, startTestServer, type TestServer } from './harness.ts';

// Issue 10: a draft with problems is saved as it is; only publishing and test runs need a valid graph.
let s: TestServer;

beforeAll(async () => {
  s = await startTestServer();
  await s.request('POST', '/api/v1/graphs', {
    body: pythonGraph('unfinished', 'def process(data, ctx):\n    return data\n'),
  });
  expect((await s.request('POST', '/api/v1/graphs/unfinished/versions')).status).toBe(201);
});
afterAll(() => s?.close());

/** The sample with an edge back from `step` to itself through a second node: a cycle. */
function withCycle() {
  const doc = pythonGraph('unfinished', 'def process(data, ctx):\n    return data\n');
  doc.nodes.push({
    id: 'again',
    type: 'python',
    position: { x: 200, y: 200 },
    code: 'def process(data, ctx):\n    return data\n',
  });
  doc.edges.push({ source: 'step', target: 'again' }, { source: 'again', target: 'step' });
  return doc;
}

describe('a draft with problems', () => {
  it('is kept exactly as sent, and read back as it was saved', async () => {
    const doc = withCycle();
    const put = await s.request('PUT', '/api/v1/graphs/unfinished', { body: doc });
    expect(put.status).toBe(200);
    const back = await json(await s.request('GET', '/api/v1/graphs/unfinished'));
    expect(back.document).toEqual(doc);
    expect(back.revision).toBe(2);
  });

  it('cannot be published or test-run: 400 with every problem, and the live version keeps serving', async () => {
    const publish = await s.request('POST', '/api/v1/graphs/unfinished/versions');
    expect(publish.status).toBe(400);
    const { error } = await json(publish);
    expect(error.code).toBe('invalid_document');
    expect(error.message).toContain('before it can be published');
    expect(error.problems.map((p: { nodeId?: string }) => p.nodeId).sort()).toEqual(['again', 'step']);
    const test = await s.request('POST', '/api/v1/graphs/unfinished/test', { body: { input: {} } });
    expect(test.status).toBe(400);
    expect((await json(test)).error.message).toContain('before it can be run');
    const versions = await json(await s.request('GET', '/api/v1/graphs/unfinished/versions'));
    expect(versions.versions ?? versions).toHaveLength(1);
  });

  it('a document the IDE could not open is still refused, naming what is wrong', async () => {
    for (const [bad, path] of [
      [{ ...withCycle(), nodes: [{ id: 'x', type: 'teleport' }] }, 'nodes[0].type'],
      [{ ...withCycle(), edges: 'none' }, 'edges'],
      [{ ...withCycle(), name: 'Not A Name' }, 'name'],
    ] as const) {
      const res = await s.request('PUT', '/api/v1/graphs/unfinished', { body: bad });
      expect(res.status, path).toBe(400);
      const { error } = await json(res);
      expect(error.code).toBe('invalid_document');
      expect(error.problems.map((p: { path: string }) => p.path)).toContain(path);
    }
  });

  it('fixed, it saves normalised and publishes again', async () => {
    const doc = pythonGraph('unfinished', 'def process(data, ctx):\n    return {"ok": True}\n');
    expect((await s.request('PUT', '/api/v1/graphs/unfinished', { body: doc })).status).toBe(200);
    expect((await s.request('POST', '/api/v1/graphs/unfinished/versions')).status).toBe(201);
  });
});
