import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, pythonGraph, startTestServer, type TestServer } from './harness.ts';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer({ PLINTH_RUN_PAYLOAD_BYTES: '200' });
  await s.request('POST', '/api/v1/graphs', {
    body: pythonGraph(
      'history',
      'def process(data, ctx):\n    if data.get("fail"):\n        raise ValueError("asked to fail")\n    return {"echo": data, "pad": "x" * data.get("pad", 0)}\n',
    ),
  });
  await s.request('POST', '/api/v1/graphs/history/versions');
});
afterAll(() => s.close());

const invoke = (body: unknown) => s.request('POST', '/api/v1/graphs/history/invoke', { body });

describe('run history', () => {
  it('gives every invoke a run id, and keeps its trace under that id', async () => {
    const res = await invoke({ n: 1 });
    expect(res.status).toBe(200);
    const runId = res.headers.get('plinth-run-id');
    expect(runId).toMatch(/^[0-9a-f-]{36}$/);

    const run = await json(await s.request('GET', `/api/v1/runs/${runId}`));
    expect(run).toMatchObject({
      id: runId,
      graph: 'history',
      version: 1,
      kind: 'invoke',
      status: 'ok',
      error: null,
      input: { n: 1 },
      output: { echo: { n: 1 }, pad: '' },
      omitted: [],
    });
    expect(run.nodes.step).toMatchObject({ status: 'ok', input: { n: 1 }, output: { echo: { n: 1 }, pad: '' } });
    expect(run.durationMs).toBeGreaterThan(0);
  });

  it('keeps failed runs with their error, and the 422 carries the run id', async () => {
    const res = await invoke({ fail: true });
    expect(res.status).toBe(422);
    const runId = res.headers.get('plinth-run-id');
    expect((await json(res)).error.runId).toBe(runId);
    const run = await json(await s.request('GET', `/api/v1/runs/${runId}`));
    expect(run).toMatchObject({ status: 'error', error: { nodeId: 'step', code: 'node_failed', type: 'ValueError' } });
    expect(run.nodes.step.error.traceback).toContain('asked to fail');
  });

  it('leaves out payloads over the size cap and says which and why', async () => {
    const res = await invoke({ pad: 500 });
    const run = await json(await s.request('GET', `/api/v1/runs/${res.headers.get('plinth-run-id')}`));
    expect(run.input).toEqual({ pad: 500 });
    expect(run.output).toBeUndefined();
    expect(run.nodes.step.output).toBeUndefined();
    expect(run.omitted).toEqual([
      expect.stringMatching(/^nodes\.step\.output: \d+ bytes, over the 200-byte limit \(PLINTH_RUN_PAYLOAD_BYTES\)$/),
      expect.stringMatching(/^nodes\.output\.input: \d+ bytes, over the 200-byte limit/),
      expect.stringMatching(/^nodes\.output\.output: \d+ bytes/),
      expect.stringMatching(/^output: \d+ bytes/),
    ]);
  });

  it('keeps no payloads for a graph that says so, only statuses and timings', async () => {
    await s.request('POST', '/api/v1/graphs', {
      body: { ...pythonGraph('private', 'def process(data, ctx):\n    return data\n'), keepRunPayloads: false },
    });
    const test = await s.request('POST', '/api/v1/graphs/private/test', { body: { input: { ssn: '123-45-6789' } } });
    const runId = test.headers.get('plinth-run-id');
    const run = await json(await s.request('GET', `/api/v1/runs/${runId}`));
    expect(run).toMatchObject({ kind: 'test', version: null, status: 'ok' });
    expect(JSON.stringify(run)).not.toContain('123-45-6789');
    expect(run.omitted).toContain("input: not kept (the graph's keepRunPayloads is false)");
    expect(run.nodes.step).toMatchObject({ status: 'ok', logs: [] });
  });

  it('lists runs newest first, filtered by graph, version and status, a page at a time', async () => {
    for (let i = 0; i < 3; i++) await invoke({ page: i });
    const all = await json(await s.request('GET', '/api/v1/runs?graph=history&limit=2'));
    expect(all.runs).toHaveLength(2);
    expect(all.runs[0].startedAt >= all.runs[1].startedAt).toBe(true);
    expect(all.next).toBe(all.runs[1].id);
    const more = await json(await s.request('GET', `/api/v1/runs?graph=history&limit=2&before=${all.next}`));
    expect(more.runs[0].id).not.toBe(all.runs[1].id);
    expect(more.runs[0].startedAt <= all.runs[1].startedAt).toBe(true);

    const failed = await json(await s.request('GET', '/api/v1/runs?graph=history&status=error'));
    expect(failed.runs.length).toBeGreaterThan(0);
    expect(failed.runs.every((r: { status: string }) => r.status === 'error')).toBe(true);
    expect((await json(await s.request('GET', '/api/v1/runs?graph=history&version=2'))).runs).toEqual([]);
    const bad = await s.request('GET', '/api/v1/runs?status=maybe');
    expect(bad.status).toBe(400);
    expect((await json(bad)).error.problems[0].path).toBe('body.status');
    expect((await s.request('GET', '/api/v1/runs?graph=no-such-graph')).status).toBe(404);
    expect((await s.request('GET', '/api/v1/runs', { auth: false })).status).toBe(401);
  });

  it('keeps a renamed graph’s history under its new name', async () => {
    const before = await json(await s.request('GET', '/api/v1/runs?graph=private'));
    const draft = await json(await s.request('GET', '/api/v1/graphs/private'));
    await s.request('PUT', '/api/v1/graphs/private', { body: { ...draft.document, name: 'private-renamed' } });
    const after = await json(await s.request('GET', '/api/v1/runs?graph=private-renamed'));
    expect(after.runs.map((r: { id: string }) => r.id)).toEqual(before.runs.map((r: { id: string }) => r.id));
  });
});

describe('run history under load', () => {
  it('drops traces instead of making requests wait when its queue is full, and counts them', async () => {
    const small = await startTestServer({ PLINTH_RUN_QUEUE: '1' });
    try {
      await small.request('POST', '/api/v1/graphs', {
        body: pythonGraph('busy', 'def process(data, ctx):\n    return data\n'),
      });
      await small.request('POST', '/api/v1/graphs/busy/versions');
      const answers = await Promise.all(
        Array.from({ length: 20 }, (_, i) => small.request('POST', '/api/v1/graphs/busy/invoke', { body: i })),
      );
      expect(answers.every((a) => a.status === 200)).toBe(true);
      const metrics = await (await small.request('GET', '/metrics')).text();
      const dropped = Number(/^plinth_run_history_dropped_total (\d+)$/m.exec(metrics)?.[1]);
      const kept = (await json(await small.request('GET', '/api/v1/runs?graph=busy&limit=500'))).runs.length;
      expect(dropped).toBeGreaterThan(0);
      expect(kept + dropped).toBe(20);
    } finally {
      await small.close();
    }
  });

  it('deletes runs beyond the count to keep', async () => {
    const small = await startTestServer({ PLINTH_RUN_MAX_COUNT: '3' });
    try {
      await small.request('POST', '/api/v1/graphs', {
        body: pythonGraph('kept', 'def process(data, ctx):\n    return data\n'),
      });
      await small.request('POST', '/api/v1/graphs/kept/versions');
      const ids: string[] = [];
      for (let i = 0; i < 6; i++) {
        ids.push(
          (await small.request('POST', '/api/v1/graphs/kept/invoke', { body: i })).headers.get('plinth-run-id')!,
        );
      }
      await small.services.recorder.flush();
      await small.services.recorder.prune();
      const left = (await json(await small.request('GET', '/api/v1/runs?graph=kept'))).runs.map(
        (r: { id: string }) => r.id,
      );
      expect(left).toHaveLength(3);
      expect(ids.slice(3).sort()).toEqual([...left].sort());
    } finally {
      await small.close();
    }
  });
});

describe('run history switched off', () => {
  it('keeps no runs at all with PLINTH_RUN_HISTORY=off, and invokes answer as before', async () => {
    const off = await startTestServer({ PLINTH_RUN_HISTORY: 'off' });
    try {
      await off.request('POST', '/api/v1/graphs', {
        body: pythonGraph('quiet', 'def process(data, ctx):\n    return data\n'),
      });
      await off.request('POST', '/api/v1/graphs/quiet/versions');
      const res = await off.request('POST', '/api/v1/graphs/quiet/invoke', { body: 7 });
      expect(await json(res)).toBe(7);
      expect((await json(await off.request('GET', '/api/v1/runs?graph=quiet'))).runs).toEqual([]);
    } finally {
      await off.close();
    }
  });
});
