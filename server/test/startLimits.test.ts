import { afterEach, describe, expect, it } from 'vitest';
import { json, pythonGraph, startTestServer, type TestServer } from './harness.ts';

// A caller cycling pinned invokes through old versions made the server start a worker on every
// request and starved the graphs that were warm. Cold starts are now bounded per graph and per key,
// and live versions stay warm whatever else is started.
let s: TestServer | undefined;
afterEach(() => s?.close());

const code = (n: number) => `def process(data, ctx):\n    return ${n}\n`;

async function publishVersions(server: TestServer, name: string, count: number): Promise<void> {
  await server.request('POST', '/api/v1/graphs', { body: pythonGraph(name, code(1)) });
  for (let v = 1; v <= count; v++) {
    const draft = await json(await server.request('GET', `/api/v1/graphs/${name}`));
    await server.request('PUT', `/api/v1/graphs/${name}`, {
      body: { ...draft.document, nodes: pythonGraph(name, code(v)).nodes },
    });
    // Only the last goes live (and warm); the others are old versions a caller may pin.
    await server.request('POST', `/api/v1/graphs/${name}/versions`, { body: { promote: v === count } });
  }
}

describe('cold worker starts', () => {
  it('are bounded per graph: beyond the limit a cold pinned version gets 429 with Retry-After; the live one answers', async () => {
    s = await startTestServer({ PLINTH_MAX_STARTS_PER_MINUTE: '3' });
    await publishVersions(s, 'cycled', 6);
    const key = (await json(await s.request('POST', '/api/v1/keys', { body: { name: 'cycler' } }))).key;
    const pinned = (v: number) =>
      s!.request('POST', `/api/v1/graphs/cycled/versions/${v}/invoke`, { body: 0, auth: key });
    const statuses = [];
    for (const v of [1, 2, 3, 4, 5]) statuses.push((await pinned(v)).status);
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    const refused = await pinned(4);
    expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
    const { error } = await json(refused);
    expect(error).toMatchObject({ code: 'too_many_starts', setting: 'PLINTH_MAX_STARTS_PER_MINUTE' });
    // Warm pools never count: the live version (6) and the versions already started still answer.
    expect(await json(await s.request('POST', '/api/v1/graphs/cycled/invoke', { body: 0, auth: key }))).toBe(6);
    expect(await json(await pinned(2))).toBe(2);
  });

  it('are bounded per API key across graphs', async () => {
    s = await startTestServer({ PLINTH_MAX_STARTS_PER_KEY_PER_MINUTE: '2' });
    await publishVersions(s, 'first', 2);
    await publishVersions(s, 'second', 2);
    const key = (await json(await s.request('POST', '/api/v1/keys', { body: { name: 'k' } }))).key;
    const other = (await json(await s.request('POST', '/api/v1/keys', { body: { name: 'other' } }))).key;
    const call = (graph: string, auth: string) =>
      s!.request('POST', `/api/v1/graphs/${graph}/versions/1/invoke`, { body: 0, auth });
    expect((await call('first', key)).status).toBe(200);
    await s.runtime.retire((k) => k === 'first@v1');
    expect((await call('first', key)).status).toBe(200);
    const third = await call('second', key);
    expect(third.status).toBe(429);
    expect((await json(third)).error.setting).toBe('PLINTH_MAX_STARTS_PER_KEY_PER_MINUTE');
    // Another key has its own budget.
    expect((await call('second', other)).status).toBe(200);
  });

  it('keep live versions warm while other pools come and go beyond PLINTH_MAX_POOLS', async () => {
    s = await startTestServer({ PLINTH_MAX_POOLS: '3' });
    await publishVersions(s, 'hot', 1);
    await publishVersions(s, 'cold', 5);
    const spawnedForHot = async () => {
      const before = s!.runtime.stats().spawned;
      expect(await json(await s!.request('POST', '/api/v1/graphs/hot/invoke', { body: 0 }))).toBe(1);
      return s!.runtime.stats().spawned - before;
    };
    expect(await spawnedForHot()).toBe(0);
    for (const v of [1, 2, 3, 4]) {
      expect((await s.request('POST', `/api/v1/graphs/cold/versions/${v}/invoke`, { body: 0 })).status).toBe(200);
    }
    // Four more pools came and went past the limit of three; the live one of `hot` never left.
    expect(await spawnedForHot()).toBe(0);
  });
});
