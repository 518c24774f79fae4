import { afterEach, describe, expect, it } from 'vitest';
import { json, pythonGraph, startTestServer, type TestServer } from './harness.ts';

// One worker per pool (the harness's setting): runs beyond it wait in a bounded queue.
const SLOW = [
  'import time',
  'CALLS = 0',
  'def process(data, ctx):',
  '    global CALLS',
  '    CALLS += 1',
  '    time.sleep(data.get("sleep", 0))',
  '    return {"calls": CALLS}',
].join('\n');

let s: TestServer | undefined;
afterEach(() => s?.close());

async function serverWithSlowGraph(env: Record<string, string>): Promise<TestServer> {
  const server = await startTestServer(env);
  await server.request('POST', '/api/v1/graphs', { body: pythonGraph('slow', SLOW, { timeoutMs: 10_000 }) });
  await server.request('POST', '/api/v1/graphs/slow/versions');
  return server;
}

const invoke = (server: TestServer, body: unknown, signal?: AbortSignal) =>
  fetch(`${server.url}/api/v1/graphs/slow/invoke`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${server.token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
    ...(signal ? { signal } : {}),
  });

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('admission control', () => {
  it('refuses at once with 503 and Retry-After when the queue is full, naming the setting', async () => {
    s = await serverWithSlowGraph({ PLINTH_MAX_QUEUE: '2' });
    const running = invoke(s, { sleep: 1 });
    await pause(100);
    const queued = [invoke(s, {}), invoke(s, {})];
    await pause(100);
    const refused = await invoke(s, {});
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('1');
    const body = await json(refused);
    expect(body.error.code).toBe('overloaded');
    expect(body.error.message).toContain('PLINTH_MAX_QUEUE');
    expect((await running).status).toBe(200);
    expect((await Promise.all(queued)).map((r) => r.status)).toEqual([200, 200]);
  });

  it('gives up on a run that waited too long for a worker, naming the setting', async () => {
    s = await serverWithSlowGraph({ PLINTH_QUEUE_TIMEOUT_MS: '300' });
    const running = invoke(s, { sleep: 1.5 });
    await pause(100);
    const started = performance.now();
    const late = await invoke(s, {});
    expect(late.status).toBe(503);
    expect(performance.now() - started).toBeLessThan(1200);
    expect((await json(late)).error.message).toContain('PLINTH_QUEUE_TIMEOUT_MS');
    expect((await running).status).toBe(200);
  });

  it('drops the queued runs of callers that went away: they never run', async () => {
    s = await serverWithSlowGraph({});
    const running = invoke(s, { sleep: 1 });
    await pause(100);
    const gaveUp = Array.from({ length: 5 }, () => {
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 200);
      return invoke(s!, { sleep: 1 }, controller.signal).catch((e: Error) => e.name);
    });
    expect(await Promise.all(gaveUp)).toEqual(Array(5).fill('AbortError'));
    expect(await json(await running)).toEqual({ calls: 1 });
    // Had the abandoned runs kept their places, this one would wait for five more seconds of sleeping.
    const started = performance.now();
    const next = await invoke(s, {});
    expect(await json(next)).toEqual({ calls: 2 });
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('stops a running run whose caller went away, so the next caller does not wait for it', async () => {
    s = await serverWithSlowGraph({});
    const controller = new AbortController();
    const abandoned = invoke(s, { sleep: 3 }, controller.signal).catch((e: Error) => e.name);
    await pause(300);
    controller.abort();
    expect(await abandoned).toBe('AbortError');
    const started = performance.now();
    const next = await invoke(s, {});
    expect(next.status).toBe(200);
    expect(performance.now() - started).toBeLessThan(2000);
    const runs = await json(await s.request('GET', '/api/v1/runs?graph=slow'));
    expect(runs.runs.map((r: { errorCode: string | null }) => r.errorCode)).toEqual([null, 'client_closed']);
  });
});
