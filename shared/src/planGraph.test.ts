import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { GraphDocument, GraphDocumentInput, Json } from './graphSchema.ts';
import type { CallOptions, NodeOutcome, NodeRunner } from './nodeRunner.ts';
import { followTable, planGraph, type ExecutionPlan } from './planGraph.ts';
import { runGraph } from './runGraph.ts';
import { validateGraph } from './validateGraph.ts';

function valid(doc: GraphDocumentInput): GraphDocument {
  const result = validateGraph(doc);
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.graph;
}

type NodeSpec =
  { id: string; type: 'input' | 'output' | 'python' } | { id: string; type: 'branch'; branches: string[] };

function graphOf(nodes: NodeSpec[], edges: [string, string, string?][]): GraphDocument {
  return valid({
    format: 'plinth.graph/v1',
    name: 'g',
    nodes: nodes.map((n) =>
      n.type === 'python' || n.type === 'branch' ? { ...n, code: n.id } : n,
    ) as GraphDocumentInput['nodes'],
    edges: edges.map(([source, target, branch]) => ({ source, target, ...(branch ? { branch } : {}) })),
  });
}

const joinOf = (graph: GraphDocument, id: string) => planGraph(graph).byId.get(id)!.join;

describe('planGraph joins', () => {
  it('hands over the one value that ran when the upstreams are branches of one branch node', () => {
    const graph = graphOf(
      [
        { id: 'input', type: 'input' },
        { id: 'decide', type: 'branch', branches: ['approve', 'review'] },
        { id: 'enrich', type: 'python' },
        { id: 'output', type: 'output' },
      ],
      [
        ['input', 'decide'],
        ['decide', 'enrich', 'approve'],
        ['decide', 'output', 'review'],
        ['enrich', 'output'],
      ],
    );
    expect(joinOf(graph, 'output')).toBe('alternatives');
    expect(joinOf(graph, 'enrich')).toBe('single');
    expect(joinOf(graph, 'input')).toBe('none');
  });

  it('treats nested branches (if / elif / else) as alternatives', () => {
    const graph = graphOf(
      [
        { id: 'input', type: 'input' },
        { id: 'outer', type: 'branch', branches: ['small', 'big'] },
        { id: 'inner', type: 'branch', branches: ['a', 'b'] },
        { id: 'x', type: 'python' },
        { id: 'y', type: 'python' },
        { id: 'z', type: 'python' },
        { id: 'output', type: 'output' },
      ],
      [
        ['input', 'outer'],
        ['outer', 'x', 'small'],
        ['outer', 'inner', 'big'],
        ['inner', 'y', 'a'],
        ['inner', 'z', 'b'],
        ['x', 'output'],
        ['y', 'output'],
        ['z', 'output'],
      ],
    );
    expect(joinOf(graph, 'output')).toBe('alternatives');
  });

  it('keys the data by id when a branch path joins a path that always runs', () => {
    const graph = graphOf(
      [
        { id: 'input', type: 'input' },
        { id: 'decide', type: 'branch', branches: ['yes', 'no'] },
        { id: 'lookup', type: 'python' },
        { id: 'always', type: 'python' },
        { id: 'output', type: 'output' },
      ],
      [
        ['input', 'decide'],
        ['input', 'always'],
        ['decide', 'lookup', 'yes'],
        ['lookup', 'output'],
        ['always', 'output'],
      ],
    );
    expect(joinOf(graph, 'output')).toBe('keyed');
  });

  it('keys the data when two nodes hang off the same branch', () => {
    const graph = graphOf(
      [
        { id: 'input', type: 'input' },
        { id: 'decide', type: 'branch', branches: ['yes', 'no'] },
        { id: 'a', type: 'python' },
        { id: 'b', type: 'python' },
        { id: 'output', type: 'output' },
      ],
      [
        ['input', 'decide'],
        ['decide', 'a', 'yes'],
        ['decide', 'b', 'yes'],
        ['a', 'output'],
        ['b', 'output'],
      ],
    );
    expect(joinOf(graph, 'output')).toBe('keyed');
  });
});

describe('runGraph joins', () => {
  const nested = graphOf(
    [
      { id: 'input', type: 'input' },
      { id: 'outer', type: 'branch', branches: ['small', 'big'] },
      { id: 'inner', type: 'branch', branches: ['a', 'b'] },
      { id: 'x', type: 'python' },
      { id: 'y', type: 'python' },
      { id: 'z', type: 'python' },
      { id: 'always', type: 'python' },
      { id: 'output', type: 'output' },
    ],
    [
      ['input', 'outer'],
      ['input', 'always'],
      ['outer', 'x', 'small'],
      ['outer', 'inner', 'big'],
      ['inner', 'y', 'a'],
      ['inner', 'z', 'b'],
      ['x', 'output'],
      ['y', 'output'],
      ['z', 'output'],
      ['always', 'output'],
    ],
  );
  const runner: NodeRunner = {
    async runCode(node, data) {
      const n = (data as { n: number }).n;
      if (node.id === 'outer') return { ok: true, output: n < 10 ? 'small' : 'big', logs: [] };
      if (node.id === 'inner') return { ok: true, output: n < 100 ? 'a' : 'b', logs: [] };
      return { ok: true, output: `${node.id}:${n}`, logs: [] };
    },
    runModel: () => Promise.reject(new Error('no models here')),
  };

  it('keys a branch path joined with a path that always runs, whichever branch ran', async () => {
    for (const [n, via] of [
      [1, 'x'],
      [50, 'y'],
      [500, 'z'],
    ] as const) {
      const trace = await runGraph(nested, { n }, runner);
      // x, y and z are alternatives, but `always` may run beside any of them: keyed by id.
      expect(trace.output).toEqual({ [via]: `${via}:${n}`, always: `always:${n}` });
    }
  });
});

// ---- Property: running ahead by the plan gives exactly the run the executor makes -----------

/** A deterministic stand-in for user code: a number from the node id and its input. */
function hash(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}

function behave(plan: ExecutionPlan, nodeId: string, data: Json, state: string[]): NodeOutcome {
  state.push(nodeId);
  const h = hash(`${nodeId}|${JSON.stringify(data)}`);
  if (h % 13 === 0) return { ok: false, logs: [], error: { code: 'node_failed', message: `${nodeId} failed` } };
  const node = plan.byId.get(nodeId)!.node;
  if (node.type === 'branch') {
    // Now and then a value that is not a branch, to cover the executor's refusal.
    const pick = h % (node.branches.length + 1);
    return { ok: true, output: node.branches[pick] ?? 'none-of-them', logs: [] };
  }
  return { ok: true, output: h % 1000, logs: [{ stream: 'stdout', text: `state ${state.join(',')}` }] };
}

/** Runs nodes one call at a time, as the browser does. */
function plainRunner(plan: ExecutionPlan): NodeRunner & { calls: string[] } {
  const state: string[] = [];
  const calls: string[] = [];
  return {
    calls,
    async runCode(node, data) {
      calls.push(node.id);
      return behave(plan, node.id, data, state);
    },
    runModel: () => Promise.reject(new Error('no models here')),
  };
}

/**
 * Runs ahead the way the Python runner does: from the follow table of the load frame, a python
 * node's successor gets its output, a branch's successor the branch's own input.
 */
function chainingRunner(plan: ExecutionPlan): NodeRunner & { calls: string[]; mismatches: string[] } {
  const follow = followTable(plan);
  const state: string[] = [];
  const calls: string[] = [];
  const mismatches: string[] = [];
  let queue: { nodeId: string; data: Json; outcome: NodeOutcome }[] = [];
  const runChain = (first: string, data: Json) => {
    let nodeId: string | undefined = first;
    let input = data;
    while (nodeId !== undefined) {
      const outcome = behave(plan, nodeId, input, state);
      queue.push({ nodeId, data: input, outcome });
      const after: string | Record<string, string> | undefined = follow[nodeId];
      if (after === undefined || !outcome.ok) return;
      if (typeof after === 'string') [nodeId, input] = [after, outcome.output];
      else nodeId = typeof outcome.output === 'string' ? after[outcome.output] : undefined;
    }
  };
  return {
    calls,
    mismatches,
    async runCode(node, data, _ctx, call?: CallOptions) {
      calls.push(node.id);
      if (!call?.continued) {
        queue = [];
        if (call?.runAhead) runChain(node.id, data);
        else return behave(plan, node.id, data, state);
      }
      const head = queue.shift();
      if (!head || head.nodeId !== node.id || JSON.stringify(head.data) !== JSON.stringify(data)) {
        mismatches.push(`${node.id} (ran ${head?.nodeId ?? 'nothing'} ahead)`);
      }
      return head!.outcome;
    },
    runModel: () => Promise.reject(new Error('no models here')),
  };
}

/** Random DAGs of python and branch nodes between one input and one output, edges only forward. */
const arbitraryGraph = fc
  .record({
    middle: fc.array(fc.record({ branch: fc.boolean(), routes: fc.integer({ min: 1, max: 3 }), chained: fc.nat(9) }), {
      minLength: 1,
      maxLength: 9,
    }),
    wiring: fc.array(fc.tuple(fc.nat(), fc.nat(), fc.nat(), fc.boolean()), { maxLength: 40 }),
    /** Edge order matters: among nodes ready together, the executor takes them as their edges come. */
    order: fc.array(fc.nat(), { minLength: 60, maxLength: 60 }),
  })
  .map(({ middle, wiring, order }) => {
    const nodes: NodeSpec[] = [
      { id: 'input', type: 'input' },
      ...middle.map((m, i): NodeSpec =>
        m.branch
          ? { id: `b${i}`, type: 'branch', branches: ['r0', 'r1', 'r2'].slice(0, m.routes) }
          : { id: `p${i}`, type: 'python' },
      ),
      { id: 'output', type: 'output' },
    ];
    const edges = new Map<string, [string, string, string?]>();
    const add = (from: number, to: number, route: number) => {
      const source = nodes[from]!;
      const branch = source.type === 'branch' ? source.branches[route % source.branches.length] : undefined;
      edges.set(`${from}>${to}>${branch}`, [source.id, nodes[to]!.id, branch]);
    };
    // Most nodes hang off the one before, so runs go deep; the rest of the wiring is random.
    for (let i = 1; i < nodes.length; i++) if ((middle[i - 1]?.chained ?? 0) < 8) add(i - 1, i, i);
    for (const [a, b, route, keep] of wiring) {
      const from = a % (nodes.length - 1);
      const to = from + 1 + (b % (nodes.length - 1 - from));
      if (keep) add(from, to, route);
    }
    // A drawing where no path reaches the output is refused (validateGraph): give it one.
    const reached = new Set(['input']);
    for (let grew = true; grew;) {
      grew = false;
      for (const [from, to] of edges.values()) {
        if (reached.has(from) && !reached.has(to)) {
          reached.add(to);
          grew = true;
        }
      }
    }
    if (!reached.has('output')) edges.set('input>output', ['input', 'output']);
    const shuffled = [...edges.values()]
      .map((edge, i) => ({ edge, key: order[i % order.length]! * 100 + i }))
      .sort((a, b) => a.key - b.key)
      .map((e) => e.edge);
    return graphOf(nodes, shuffled);
  });

describe('the plan and runGraph agree', () => {
  it('gives the same trace with and without running ahead, on generated graphs', async () => {
    await fc.assert(
      fc.asyncProperty(arbitraryGraph, fc.integer(), async (graph, input) => {
        const plan = planGraph(graph);
        const plain = plainRunner(plan);
        const chaining = chainingRunner(plan);
        const a = await runGraph(graph, input, plain, { runId: 'r' });
        const b = await runGraph(graph, input, chaining, { runId: 'r', runAhead: true });
        expect(chaining.mismatches).toEqual([]);
        expect(chaining.calls).toEqual(plain.calls);
        const shape = (t: typeof a) => ({
          output: t.output,
          error: t.error,
          nodes: Object.fromEntries(Object.entries(t.nodes).map(([id, n]) => [id, { ...n, durationMs: 0 }])),
        });
        expect(shape(b)).toEqual(shape(a));
      }),
      { numRuns: 400 },
    );
  });

  it('runs ahead through most of a chain: generated graphs do exercise it', async () => {
    let ahead = 0;
    await fc.assert(
      fc.asyncProperty(arbitraryGraph, async (graph) => {
        ahead += Object.keys(followTable(planGraph(graph))).length;
      }),
      { numRuns: 100 },
    );
    expect(ahead).toBeGreaterThan(50);
  });
});
