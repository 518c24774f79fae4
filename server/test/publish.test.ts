import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, pythonGraph, startTestServer, type TestServer } from './harness.ts';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(() => s?.close());

const code = (n: number) => `def process(data, ctx):\n    return ${n}\n`;
const publish = (name: string, body?: unknown) =>
  s.request('POST', `/api/v1/graphs/${name}/versions`, body === undefined ? {} : { body });
async function saveDraft(name: string, doc: unknown): Promise<void> {
  const { revision } = await json(await s.request('GET', `/api/v1/graphs/${name}`));
  const res = await s.request('PUT', `/api/v1/graphs/${name}`, {
    body: doc,
    headers: { 'If-Match': String(revision) },
  });
  expect(res.status).toBe(200);
}

describe('publishing', () => {
  it('says nothing changed since the live version instead of making a copy, positions aside', async () => {
    const doc = pythonGraph('same', code(1));
    await s.request('POST', '/api/v1/graphs', { body: doc });
    expect(await json(await publish('same'))).toEqual({ version: 1, live: true });

    const again = await publish('same');
    expect(again.status).toBe(409);
    expect((await json(again)).error).toEqual({
      code: 'conflict',
      reason: 'unchanged',
      version: 1,
      message: 'nothing changed since v1: the draft is the live version of same',
    });

    // Moving a node changes nothing that runs.
    await saveDraft('same', { ...doc, nodes: doc.nodes.map((n) => ({ ...n, position: { x: 9, y: 9 } })) });
    expect((await publish('same')).status).toBe(409);

    await saveDraft('same', pythonGraph('same', code(2)));
    expect(await json(await publish('same'))).toEqual({ version: 2, live: true });
    expect(
      (await json(await s.request('GET', '/api/v1/graphs/same/versions'))).map((v: { version: number }) => v.version),
    ).toEqual([1, 2]);
  });

  it('keeps a release note with each version, shown in the list and the version', async () => {
    await s.request('POST', '/api/v1/graphs', { body: pythonGraph('noted', code(1)) });
    expect((await publish('noted', { note: '  First cut: returns 1.  ' })).status).toBe(201);
    await saveDraft('noted', pythonGraph('noted', code(2)));
    expect((await publish('noted')).status).toBe(201);
    const versions = await json(await s.request('GET', '/api/v1/graphs/noted/versions'));
    expect(versions.map((v: { note: string | null }) => v.note)).toEqual(['First cut: returns 1.', null]);
    expect((await json(await s.request('GET', '/api/v1/graphs/noted/versions/1'))).note).toBe('First cut: returns 1.');

    const long = await publish('noted', { note: 'x'.repeat(2001) });
    expect(long.status).toBe(400);
    expect(JSON.stringify(await json(long))).toContain('a release note has at most 2000 characters');
  });
});
