import { afterAll, describe, expect, it } from 'vitest';
import { chainGraph, freshKey, py, testRuntime } from './runtimeFixtures.ts';

// A worker keeps one timer for all its calls (re-armed only when a deadline comes sooner);
// every node must still get exactly its own timeoutMs, whatever ran before it on that worker.
const runtime = testRuntime();
afterAll(() => runtime.close());

const sleepy = (seconds: number) =>
  py('import time', 'def process(data, ctx):', `    time.sleep(${seconds})`, '    return data');
const hangs = py('def process(data, ctx):', '    while True:', '        pass');

describe('per-node timeouts on a long-lived worker', () => {
  for (const version of [1, null]) {
    const run = version === null ? 'a draft run' : 'a published (chained) run';

    it(`times out a short-timeout node after a long-timeout one on time, in ${run}`, async () => {
      const graph = chainGraph('timeouts', [
        { id: 'patient', timeoutMs: 20_000, code: py('def process(data, ctx):', '    return data') },
        { id: 'hasty', timeoutMs: 300, code: hangs },
      ]);
      const started = performance.now();
      const trace = await runtime.run({
        poolKey: freshKey('short-after-long'),
        graph,
        input: 1,
        version,
        runAhead: version !== null,
      });
      expect(trace.error).toMatchObject({
        nodeId: 'hasty',
        code: 'node_timeout',
        message: "node 'hasty' did not return within 300 ms",
      });
      expect(performance.now() - started).toBeLessThan(5000);
    });

    it(`lets a long-timeout node outlast the timeout of the node before it, in ${run}`, async () => {
      const graph = chainGraph('timeouts', [
        { id: 'hasty', timeoutMs: 200, code: py('def process(data, ctx):', '    return data') },
        { id: 'patient', timeoutMs: 5000, code: sleepy(0.6) },
      ]);
      const poolKey = freshKey('long-after-short');
      for (let i = 0; i < 2; i++) {
        // The second run finds the timer the first one left behind.
        const trace = await runtime.run({ poolKey, graph, input: i, version, runAhead: version !== null });
        expect(trace.error).toBeNull();
        expect(trace.output).toBe(i);
      }
    });
  }

  it('times out a node of a later run on a worker whose earlier runs were quick', async () => {
    const graph = chainGraph('timeouts', [
      {
        id: 'maybe',
        timeoutMs: 400,
        code: py('def process(data, ctx):', "    while data == 'hang':", '        pass', '    return data'),
      },
    ]);
    const poolKey = freshKey('later-run');
    for (const input of ['a', 'b'])
      expect((await runtime.run({ poolKey, graph, input, version: 1 })).output).toBe(input);
    const trace = await runtime.run({ poolKey, graph, input: 'hang', version: 1 });
    expect(trace.error).toMatchObject({ nodeId: 'maybe', code: 'node_timeout' });
    expect((await runtime.run({ poolKey, graph, input: 'c', version: 1 })).output).toBe('c');
  });
});
