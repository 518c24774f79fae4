import { describe, expect, it } from 'vitest';
import type { CodeNode, GraphDocument, GraphDocumentInput, Json } from './graphSchema.ts';
import type { NodeContext, NodeOutcome, NodeRunner } from './nodeRunner.ts';
import { runGraph } from './runGraph.ts';
import { validateGraph } from './validateGraph.ts';
import { routingGraph } from './testing/graphs.ts';

type Behaviour = (data: Json, ctx: NodeContext & { state: Record<string, Json> }) => Json | NodeOutcome;

/**
 * An in-memory NodeRunner: each node's `code` names a JavaScript behaviour. It keeps one
 * `state` per run id, as a real worker's interpreter does, so the executor's contract with
 * runners can be tested without Python.
 */
function scriptedRunner(behaviours: Record<string, Behaviour>) {
  const states = new Map<string, Record<string, Json>>();
  const calls: string[] = [];
  const runner: NodeRunner = {
    async runCode(node: CodeNode, data, ctx) {
      calls.push(node.id);
      const behaviour = behaviours[node.code];
      if (!behaviour) throw new Error(`no behaviour ${node.code}`);
      const state = states.get(ctx.runId) ?? {};
      states.set(ctx.runId, state);
      const result = behaviour(data, { ...ctx, state });
      if (result && typeof result === 'object' && 'ok' in result && 'logs' in result) return result as NodeOutcome;
      return { ok: true, output: result, logs: [{ stream: 'stdout', text: `ran ${node.id}` }] };
    },
    async runModel(node) {
      calls.push(node.id);
      return {
        ok: false,
        logs: [],
        error: { code: 'model_unavailable', message: `model '${node.model}' is not deployed` },
      };
    },
  };
  return { runner, calls };
}

function valid(doc: GraphDocumentInput): GraphDocument {
  const result = validateGraph(doc);
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.graph;
}

const routing = {
  features: (d: Json) => ({ amount: (d as { amount: number }).amount }),
  decide: (d: Json) => ((d as { amount: number }).amount > 100 ? 'review' : 'approve'),
  approve: (d: Json) => ({ decision: 'approve', ...(d as object) }),
  review: (d: Json) => ({ decision: 'review', ...(d as object) }),
};

describe('runGraph', () => {
  it('routes through the chosen branch and skips the other', async () => {
    const { runner, calls } = scriptedRunner(routing);
    const trace = await runGraph(valid(routingGraph()), { amount: 500 }, runner);
    expect(trace.error).toBeNull();
    expect(calls).toEqual(['features', 'decide', 'review']);
    expect(trace.nodes.approve).toMatchObject({ status: 'skipped' });
    expect(trace.nodes.decide).toMatchObject({ status: 'ok', branch: 'review', output: { amount: 500 } });
    // approve and review are alternatives of one branch node: output gets the one that ran, unwrapped.
    expect(trace.output).toEqual({ decision: 'review', amount: 500 });
    expect(trace.nodes.review).toMatchObject({ status: 'ok', input: { amount: 500 } });
    expect(trace.nodes.features!.logs).toEqual([{ stream: 'stdout', text: 'ran features' }]);
  });

  it('passes the branch input unchanged when both branches lead to the same node', async () => {
    const doc = valid({
      format: 'plinth.graph/v1',
      name: 'two-edges',
      nodes: [
        { id: 'input', type: 'input' },
        { id: 'decide', type: 'branch', branches: ['a', 'b'], code: 'decide' },
        { id: 'output', type: 'output' },
      ],
      edges: [
        { source: 'input', target: 'decide' },
        { source: 'decide', branch: 'a', target: 'output' },
        { source: 'decide', branch: 'b', target: 'output' },
      ],
    });
    const { runner } = scriptedRunner({ decide: () => 'b' });
    const trace = await runGraph(doc, { x: 1 }, runner);
    expect(trace.output).toEqual({ x: 1 });
  });

  it('skips everything downstream of an unchosen branch, transitively', async () => {
    const doc = routingGraph();
    doc.nodes.push({ id: 'audit', type: 'python', code: 'audit', position: { x: 0, y: 0 } });
    doc.edges.push({ source: 'review', target: 'audit' });
    const { runner, calls } = scriptedRunner({ ...routing, audit: () => 'audited' });
    const trace = await runGraph(valid(doc), { amount: 5 }, runner);
    expect(trace.nodes.review!.status).toBe('skipped');
    expect(trace.nodes.audit!.status).toBe('skipped');
    expect(calls).not.toContain('audit');
  });

  it('stops at the first error and marks the rest not_run', async () => {
    const { runner, calls } = scriptedRunner({
      ...routing,
      features: () => ({
        ok: false,
        logs: [{ stream: 'stdout', text: 'about to fail' }],
        error: {
          code: 'node_failed',
          message: "KeyError: 'amount'",
          type: 'KeyError',
          traceback: 'Traceback...',
          line: 2,
        },
      }),
    });
    const trace = await runGraph(valid(routingGraph()), { amount: 1 }, runner);
    expect(calls).toEqual(['features']);
    expect(trace.output).toBeNull();
    expect(trace.error).toEqual({
      nodeId: 'features',
      code: 'node_failed',
      message: "KeyError: 'amount'",
      type: 'KeyError',
      traceback: 'Traceback...',
      line: 2,
    });
    expect(trace.nodes.features).toMatchObject({ status: 'error', logs: [{ text: 'about to fail' }] });
    expect(['decide', 'approve', 'review', 'output'].map((id) => trace.nodes[id]!.status)).toEqual([
      'not_run',
      'not_run',
      'not_run',
      'not_run',
    ]);
  });

  it('refuses a branch value that is not one of the branches, naming the allowed ones', async () => {
    const { runner } = scriptedRunner({ ...routing, decide: () => 'maybe' });
    const trace = await runGraph(valid(routingGraph()), { amount: 1 }, runner);
    expect(trace.error).toMatchObject({ nodeId: 'decide', code: 'invalid_branch' });
    expect(trace.error!.message).toContain('"approve", "review"');
  });

  it('shares ctx.state within a run and not across runs', async () => {
    const doc = valid({
      format: 'plinth.graph/v1',
      name: 'state',
      nodes: [
        { id: 'input', type: 'input' },
        { id: 'first', type: 'python', code: 'first' },
        { id: 'second', type: 'python', code: 'second' },
        { id: 'output', type: 'output' },
      ],
      edges: [
        { source: 'input', target: 'first' },
        { source: 'first', target: 'second' },
        { source: 'second', target: 'output' },
      ],
    });
    const { runner } = scriptedRunner({
      first: (_d, ctx) => {
        const seen = ctx.state.seen ?? null;
        ctx.state.seen = ctx.runId;
        return seen;
      },
      second: (_d, ctx) => ctx.state.seen ?? null,
    });
    const a = await runGraph(doc, null, runner, { runId: 'run-a' });
    const b = await runGraph(doc, null, runner, { runId: 'run-b' });
    expect(a.nodes.first).toMatchObject({ status: 'ok', output: null });
    expect(a.output).toBe('run-a');
    expect(b.output).toBe('run-b');
  });

  it('passes run id, graph name and version to every node', async () => {
    const seen: NodeContext[] = [];
    const { runner } = scriptedRunner({ ...routing, features: (d, ctx) => (seen.push(ctx), d) });
    await runGraph(valid(routingGraph()), { amount: 1 }, runner, { runId: 'r1', version: 7 });
    expect(seen[0]).toMatchObject({ runId: 'r1', graph: 'routing', version: 7 });
  });

  it('reports a model node through the runner and a runner crash as worker_crashed', async () => {
    const doc = routingGraph();
    doc.nodes.push({ id: 'score', type: 'model', model: 'fraud-lr', position: { x: 0, y: 0 } });
    doc.edges = [
      { source: 'input', target: 'score' },
      { source: 'score', target: 'output' },
    ];
    doc.nodes = doc.nodes.filter((n) => ['input', 'score', 'output'].includes(n.id));
    const { runner } = scriptedRunner({});
    const trace = await runGraph(valid(doc), { amount: 1 }, runner);
    expect(trace.error).toMatchObject({ nodeId: 'score', code: 'model_unavailable' });

    const crashing = scriptedRunner({}).runner;
    const crash = await runGraph(valid(routingGraph()), { amount: 1 }, crashing);
    expect(crash.error).toMatchObject({
      nodeId: 'features',
      code: 'worker_crashed',
      message: expect.stringContaining('no behaviour features'),
    });
  });

  it('calls onNodeStart and onNodeUpdate in execution order', async () => {
    const events: string[] = [];
    const { runner } = scriptedRunner(routing);
    await runGraph(valid(routingGraph()), { amount: 1 }, runner, {
      onNodeStart: (id) => events.push(`start ${id}`),
      onNodeUpdate: (id, t) => events.push(`${t.status} ${id}`),
    });
    expect(events).toEqual([
      'start input',
      'ok input',
      'start features',
      'ok features',
      'start decide',
      'ok decide',
      'start approve',
      'ok approve',
      'skipped review',
      'start output',
      'ok output',
    ]);
  });

  it('skips a node that has no incoming edges at all', async () => {
    const doc = routingGraph();
    doc.nodes.push({ id: 'orphan', type: 'python', code: 'orphan', position: { x: 0, y: 0 } });
    const { runner, calls } = scriptedRunner(routing);
    const trace = await runGraph(valid(doc), { amount: 1 }, runner);
    expect(trace.nodes.orphan!.status).toBe('skipped');
    expect(calls).not.toContain('orphan');
  });

  it('runs a 500-node graph in dependency order, fan-out and fan-in included', async () => {
    // input → 498 python nodes in layers of 6 (each fed by every node of the layer before) → output
    const ids = Array.from({ length: 498 }, (_, i) => `n${i}`);
    const width = 6;
    const layers: string[][] = [];
    for (let i = 0; i < ids.length; i += width) layers.push(ids.slice(i, i + width));
    const edges = layers.flatMap((layer, l) =>
      layer.flatMap((id) =>
        l === 0 ? [{ source: 'input', target: id }] : layers[l - 1]!.map((up) => ({ source: up, target: id })),
      ),
    );
    edges.push(...layers.at(-1)!.map((id) => ({ source: id, target: 'output' })));
    const doc = valid({
      format: 'plinth.graph/v1',
      name: 'big',
      nodes: [
        { id: 'input', type: 'input' },
        ...ids.map((id) => ({ id, type: 'python' as const, code: 'depth' })),
        { id: 'output', type: 'output' },
      ],
      edges,
    });
    expect(doc.nodes).toHaveLength(500);
    const { runner, calls } = scriptedRunner({
      // each node returns 1 + the deepest depth among its inputs
      depth: (d) => (typeof d === 'number' ? d + 1 : 1 + Math.max(...Object.values(d as Record<string, number>))),
    });
    const trace = await runGraph(doc, 0, runner);
    expect(calls).toHaveLength(498);
    const position = new Map(calls.map((id, i) => [id, i]));
    for (const e of edges) {
      if (position.has(e.source) && position.has(e.target))
        expect(position.get(e.source)!).toBeLessThan(position.get(e.target)!);
    }
    expect(Object.keys(trace.output as object)).toHaveLength(layers.at(-1)!.length);
    expect(Object.values(trace.output as Record<string, number>)).toEqual(layers.at(-1)!.map(() => layers.length));
  });
});
