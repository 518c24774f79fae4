// @vitest-environment node
/**
 * What you preview is what you publish: every program of the parity corpus runs through Pyodide
 * (the IDE's browser runner, with the shared runner and executor) and through a real Plinth server's
 * sandboxed CPython workers (over HTTP, as `POST /graphs/{name}/test`), and both must give the same
 * outputs, node statuses, logs and error kinds.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadPyodide } from 'pyodide';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runGraph, validateGraph, type RunTrace } from '@plinth/shared';
import { PARITY_CORPUS } from '@plinth/shared/testing';
import { createBrowserRunner } from './browserRunner.ts';
import { PythonSession } from './pythonSession.ts';
import { startServerProcess, type ServerProcess } from '../testing/serverProcess.ts';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const TOKEN = 'parity-admin-token-0123456789';
let server: ServerProcess | undefined;
let url = '';
let python: PythonSession;

beforeAll(async () => {
  const read = (p: string) => readFileSync(path.join(ROOT, p), 'utf8');
  const pyodide = await loadPyodide();
  python = PythonSession.install(pyodide, {
    runner: read('sandbox-images/runner/plinth_runner.py'),
    bridge: read('client/src/python/plinth_bridge.py'),
  });
  server = await startServerProcess(TOKEN, 'parity');
  url = server.url;
}, 120_000);

afterAll(() => server?.stop());

async function api(method: string, pathname: string, body?: unknown): Promise<unknown> {
  const res = await fetch(url + pathname, {
    method,
    headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${pathname}: ${res.status} ${text}`);
  return JSON.parse(text);
}

/** What must match: everything a user sees of a run but timings, run ids and error wording. */
function visible(trace: RunTrace) {
  const errorKind = (e: RunTrace['error']) => e && { nodeId: e.nodeId, code: e.code, type: e.type, line: e.line };
  return {
    output: trace.output,
    error: errorKind(trace.error),
    nodes: Object.fromEntries(
      Object.entries(trace.nodes).map(([id, n]) => [
        id,
        {
          status: n.status,
          logs: n.logs,
          ...(n.status === 'ok' ? { output: n.output, branch: n.branch } : {}),
          ...(n.status === 'error' ? { code: n.error.code, type: n.error.type, line: n.error.line } : {}),
        },
      ]),
    ),
  };
}

describe('the parity corpus: Pyodide and the server agree', () => {
  it('holds at least 30 programs', () => {
    expect(PARITY_CORPUS.length).toBeGreaterThanOrEqual(30);
  });

  for (const parity of PARITY_CORPUS) {
    it(`${parity.name}`, async () => {
      const checked = validateGraph(parity.graph);
      if (!checked.ok) throw new Error(JSON.stringify(checked.problems));
      const graph = checked.graph;
      await api('POST', '/api/v1/graphs', graph);
      for (const [i, input] of parity.inputs.entries()) {
        const onServer = (await api('POST', `/api/v1/graphs/${graph.name}/test`, { input })) as RunTrace;
        const runner = createBrowserRunner(
          {
            runCode: (node, data, ctx) => python.runNode(node, data, ctx),
            endRun: async (runId) => python.endRun(runId),
          },
          { baseUrl: url, token: () => TOKEN },
        );
        const inBrowser = await runGraph(graph, input, runner, { runId: `parity-${parity.name}-${i}` });
        await runner.dispose();
        expect(visible(inBrowser), `input ${JSON.stringify(input)}`).toEqual(visible(onServer));
      }
    }, 60_000);
  }
});
