// @vitest-environment node
/**
 * The browser runner: model calls over real HTTP to a real (tiny) server standing
 * in for Plinth's predict endpoint, code calls to real Pyodide with the shared
 * runner, driven by the shared executor as the IDE's "Run in browser" does.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadPyodide } from 'pyodide';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GraphDocumentSchema, runGraph } from '@plinth/shared';
import type { ModelNode, NodeContext } from '@plinth/shared';
import { createBrowserRunner, type CodeExecutor } from './browserRunner.ts';
import { PythonSession } from './pythonSession.ts';

interface Seen {
  method: string;
  url: string;
  authorization: string | undefined;
  body: unknown;
}

let server: Server;
let baseUrl: string;
const seen: Seen[] = [];

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8') || 'null');
}

beforeAll(async () => {
  server = createServer((req, res) => {
    void readBody(req).then((body) => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', authorization: req.headers.authorization, body });
      res.setHeader('Content-Type', 'application/json');
      if (req.url === '/api/v1/models/fraud-lr/predict' || req.url === '/api/v1/models/fraud-lr/versions/2/predict') {
        const amount = (body as { amount: number }).amount;
        res.end(JSON.stringify({ score: amount > 1000 ? 0.9 : 0.1 }));
      } else if (req.url === '/api/v1/models/broken/predict') {
        res.statusCode = 500;
        res.end(JSON.stringify({ error: { code: 'model_failed', message: 'predict raised ValueError' } }));
      } else {
        res.statusCode = 404;
        res.end(JSON.stringify({ error: { code: 'not_found', message: 'no model named that' } }));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

const ctx: NodeContext = { runId: 'run-1', graph: 'fraud-check', version: null };
const model = (name: string, modelVersion: number | null = null): ModelNode => ({
  id: 'score',
  type: 'model',
  position: { x: 0, y: 0 },
  model: name,
  modelVersion,
  timeoutMs: 5000,
});

/** Model calls never reach Python: an executor that refuses any code call. */
const NO_PYTHON: CodeExecutor = {
  runCode: () => Promise.reject(new Error('a model node must not run Python')),
  endRun: async () => undefined,
};

describe('createBrowserRunner', () => {
  it("calls the server's predict with the session's admin token", async () => {
    const runner = createBrowserRunner(NO_PYTHON, { baseUrl, token: () => 'admin-123' });
    const outcome = await runner.runModel(model('fraud-lr'), { amount: 1234.5 }, ctx);
    expect(outcome).toEqual({ ok: true, output: { score: 0.9 }, logs: [] });
    expect(seen.at(-1)).toEqual({
      method: 'POST',
      url: '/api/v1/models/fraud-lr/predict',
      authorization: 'Bearer admin-123',
      body: { amount: 1234.5 },
    });
  });

  it('calls a pinned model version', async () => {
    const runner = createBrowserRunner(NO_PYTHON, { baseUrl, token: () => null });
    expect(await runner.runModel(model('fraud-lr', 2), { amount: 1 }, ctx)).toMatchObject({
      ok: true,
      output: { score: 0.1 },
    });
    expect(seen.at(-1)?.url).toBe('/api/v1/models/fraud-lr/versions/2/predict');
    expect(seen.at(-1)?.authorization).toBeUndefined();
  });

  it('turns a missing model into model_unavailable, naming it', async () => {
    const runner = createBrowserRunner(NO_PYTHON, { baseUrl, token: () => 'admin-123' });
    const outcome = await runner.runModel(model('nope'), {}, ctx);
    expect(outcome).toEqual({
      ok: false,
      error: { code: 'model_unavailable', message: "Model 'nope': no model named that" },
      logs: [],
    });
  });

  it("passes on the server's message when predict fails", async () => {
    const runner = createBrowserRunner(NO_PYTHON, { baseUrl, token: () => 'admin-123' });
    const outcome = await runner.runModel(model('broken'), {}, ctx);
    expect(outcome).toMatchObject({
      ok: false,
      error: { code: 'node_failed', message: "Model 'broken': predict raised ValueError" },
    });
  });

  it('reports an unreachable server as model_unavailable', async () => {
    const runner = createBrowserRunner(NO_PYTHON, { baseUrl: 'http://127.0.0.1:9', token: () => null });
    const outcome = await runner.runModel(model('fraud-lr'), {}, ctx);
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) expect(outcome.error.code).toBe('model_unavailable');
  });

  it('runs a whole graph with runGraph: Python in real Pyodide, the model over HTTP', async () => {
    const pyodide = await loadPyodide();
    const read = (relative: string) => readFileSync(fileURLToPath(new URL(relative, import.meta.url)), 'utf8');
    const python = PythonSession.install(pyodide, {
      runner: read('../../../sandbox-images/runner/plinth_runner.py'),
      bridge: read('./plinth_bridge.py'),
    });
    const ended: string[] = [];
    const executor: CodeExecutor = {
      runCode: (node, data, c) => python.runNode(node, data, c),
      endRun: async (runId) => {
        ended.push(runId);
        python.endRun(runId);
      },
    };
    const graph = GraphDocumentSchema.parse({
      format: 'plinth.graph/v1',
      name: 'fraud-check',
      nodes: [
        { id: 'input', type: 'input' },
        {
          id: 'features',
          type: 'python',
          code: "def process(data, ctx):\n    ctx.state['country'] = data['country']\n    print('features for', data['amount'])\n    return {'amount': data['amount']}\n",
        },
        { id: 'score', type: 'model', model: 'fraud-lr' },
        {
          id: 'decide',
          type: 'branch',
          branches: ['approve', 'review'],
          code: "def process(data, ctx):\n    return 'review' if data['score'] > 0.8 else 'approve'\n",
        },
        {
          id: 'reviewed',
          type: 'python',
          code: "def process(data, ctx):\n    return {'decision': 'review', 'country': ctx.state['country']}\n",
        },
        { id: 'approved', type: 'python', code: "def process(data, ctx):\n    return {'decision': 'approve'}\n" },
        { id: 'output', type: 'output' },
      ],
      edges: [
        { source: 'input', target: 'features' },
        { source: 'features', target: 'score' },
        { source: 'score', target: 'decide' },
        { source: 'decide', branch: 'review', target: 'reviewed' },
        { source: 'decide', branch: 'approve', target: 'approved' },
        { source: 'reviewed', target: 'output' },
        { source: 'approved', target: 'output' },
      ],
    });
    const runner = createBrowserRunner(executor, { baseUrl, token: () => 'admin-123' });
    const trace = await runGraph(graph, { amount: 1234.5, country: 'XX' }, runner, { runId: 'browser-run' });
    await runner.dispose();

    expect(trace.error).toBeNull();
    // reviewed and approved are alternatives of decide: the output is the one that ran, unwrapped.
    expect(trace.output).toEqual({ decision: 'review', country: 'XX' });
    expect(trace.nodes.features?.logs).toEqual([{ stream: 'stdout', text: 'features for 1234.5' }]);
    expect(trace.nodes.score).toMatchObject({ status: 'ok', output: { score: 0.9 } });
    expect(trace.nodes.decide).toMatchObject({ status: 'ok', branch: 'review' });
    expect(trace.nodes.approved?.status).toBe('skipped');
    expect(ended).toEqual(['browser-run']);
  }, 120_000);
});
