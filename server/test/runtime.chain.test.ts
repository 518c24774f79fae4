import { afterAll, describe, expect, it } from 'vitest';
import { followTable, GraphDocumentSchema, planGraph, type GraphDocument, type RunTrace } from '@plinth/shared';
import { freshKey, py, testRuntime } from './runtimeFixtures.ts';

// A published run (version set) lets the worker run a node's successor without a round trip.
// These tests hold it to the executor's semantics: same results, same order, nothing extra run.
const runtime = testRuntime();
afterAll(() => runtime.close());

function graphOf(nodes: object[], edges: [string, string, string?][]): GraphDocument {
  return GraphDocumentSchema.parse({
    format: 'plinth.graph/v1',
    name: 'chain',
    nodes,
    edges: edges.map(([source, target, branch]) => ({ source, target, ...(branch ? { branch } : {}) })),
  });
}

const payment = graphOf(
  [
    { id: 'input', type: 'input' },
    {
      id: 'features',
      type: 'python',
      code: py(
        'SEEN = {}',
        'def process(data, ctx):',
        "    ctx.state['path'] = ['features']",
        "    return {'amount': data['amount'], 'shared': SEEN}",
      ),
    },
    {
      id: 'score',
      type: 'python',
      code: py(
        'def process(data, ctx):',
        "    data['shared']['mutated'] = True",
        "    ctx.state['path'].append('score')",
        "    print('scoring', data['amount'])",
        "    return {**data, 'score': data['amount'] / 1000}",
      ),
    },
    {
      id: 'decide',
      type: 'branch',
      branches: ['approve', 'review'],
      code: py(
        'def process(data, ctx):',
        "    ctx.state['path'].append('decide')",
        "    verdict = 'review' if data['score'] > 0.8 else 'approve'",
        "    data['score'] = -1  # must not reach the chosen node",
        '    return verdict',
      ),
    },
    {
      id: 'approve',
      type: 'python',
      code: py(
        'def process(data, ctx):',
        "    return {'decision': 'approve', 'score': data['score'], 'path': ctx.state['path'] + ['approve']}",
      ),
    },
    {
      id: 'review',
      type: 'python',
      code: py(
        'def process(data, ctx):',
        "    return {'decision': 'review', 'score': data['score'], 'path': ctx.state['path'] + ['review']}",
      ),
    },
    { id: 'output', type: 'output' },
  ],
  [
    ['input', 'features'],
    ['features', 'score'],
    ['score', 'decide'],
    ['decide', 'approve', 'approve'],
    ['decide', 'review', 'review'],
    ['approve', 'output'],
    ['review', 'output'],
  ],
);

/** What a user sees of a run, without timings and run ids. */
function visible(trace: RunTrace) {
  const nodes = Object.fromEntries(Object.entries(trace.nodes).map(([id, t]) => [id, { ...t, durationMs: 0 }]));
  return { output: trace.output, error: trace.error, nodes };
}

describe('running ahead in published runs', () => {
  it('plans only what the executor would run next', () => {
    expect(followTable(planGraph(payment))).toEqual({
      features: 'score',
      score: 'decide',
      decide: { approve: 'approve', review: 'review' },
    });
  });

  it('gives exactly the draft run’s results: outputs, logs, branch choice, copies not aliases', async () => {
    for (const amount of [100, 900]) {
      const draft = await runtime.run({ poolKey: freshKey('draft'), graph: payment, input: { amount }, version: null });
      const published = await runtime.run({
        poolKey: freshKey('published'),
        graph: payment,
        input: { amount },
        version: 1,
        runAhead: true,
      });
      expect(draft.error).toBeNull();
      expect(visible(published)).toEqual(visible(draft));
    }
    const poolKey = freshKey('repeat');
    await runtime.run({ poolKey, graph: payment, input: { amount: 100 }, version: 1, runAhead: true });
    // `score` mutated its input; had it been features' own SEEN dict, the next run would show it.
    const again = await runtime.run({ poolKey, graph: payment, input: { amount: 100 }, version: 1, runAhead: true });
    expect(again.nodes.features).toMatchObject({ status: 'ok', output: { amount: 100, shared: {} } });
    expect(again.output).toEqual({ decision: 'approve', score: 0.1, path: ['features', 'score', 'decide', 'approve'] });
  });

  it('never runs a node early when another node comes first in the executor’s order', async () => {
    // Order: input, a, y, s, output. `s` hangs off `a` only, but `y` runs between them and fails.
    const graph = graphOf(
      [
        { id: 'input', type: 'input' },
        { id: 'a', type: 'python', code: py('def process(data, ctx):', '    return data') },
        {
          id: 'y',
          type: 'python',
          code: py(
            'def process(data, ctx):',
            "    if data == 'fail':",
            "        raise ValueError('y failed')",
            '    return data',
          ),
        },
        {
          id: 's',
          type: 'python',
          code: py('RUNS = []', 'def process(data, ctx):', '    RUNS.append(data)', '    return len(RUNS)'),
        },
        { id: 'output', type: 'output' },
      ],
      [
        ['input', 'a'],
        ['input', 'y'],
        ['a', 's'],
        ['s', 'output'],
        ['y', 'output'],
      ],
    );
    expect(followTable(planGraph(graph))).toEqual({});
    const poolKey = freshKey('order');
    const failed = await runtime.run({ poolKey, graph, input: 'fail', version: 1, runAhead: true });
    expect(failed.error).toMatchObject({ nodeId: 'y' });
    const ok = await runtime.run({ poolKey, graph, input: 'fine', version: 1, runAhead: true });
    expect(ok.output).toEqual({ s: 1, y: 'fine' }); // s ran once: in this run only
  });

  it('times out the chained node that hangs, by name', async () => {
    const graph = graphOf(
      [
        { id: 'input', type: 'input' },
        { id: 'quick', type: 'python', code: py('def process(data, ctx):', '    return data') },
        {
          id: 'stuck',
          type: 'python',
          timeoutMs: 400,
          code: py('def process(data, ctx):', '    while True:', '        pass'),
        },
        { id: 'output', type: 'output' },
      ],
      [
        ['input', 'quick'],
        ['quick', 'stuck'],
        ['stuck', 'output'],
      ],
    );
    const trace = await runtime.run({ poolKey: freshKey('stuck'), graph, input: 1, version: 2, runAhead: true });
    expect(trace.nodes.quick!.status).toBe('ok');
    expect(trace.error).toMatchObject({
      nodeId: 'stuck',
      code: 'node_timeout',
      message: "node 'stuck' did not return within 400 ms",
    });
  });

  it('reports a crash in a chained node against that node', async () => {
    const graph = graphOf(
      [
        { id: 'input', type: 'input' },
        { id: 'first', type: 'python', code: py('def process(data, ctx):', '    return data') },
        { id: 'dies', type: 'python', code: py('import os', 'def process(data, ctx):', '    os._exit(7)') },
        { id: 'output', type: 'output' },
      ],
      [
        ['input', 'first'],
        ['first', 'dies'],
        ['dies', 'output'],
      ],
    );
    const trace = await runtime.run({ poolKey: freshKey('dies'), graph, input: 1, version: 2, runAhead: true });
    expect(trace.nodes.first!.status).toBe('ok');
    expect(trace.error).toMatchObject({ nodeId: 'dies', code: 'worker_crashed' });
    expect(trace.error!.message).toContain('exited with code 7');
  });
});
