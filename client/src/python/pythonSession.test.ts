// @vitest-environment node
/**
 * The browser's Python half, run for real: Pyodide (the same npm package the
 * worker serves) with the shared node runner from sandbox-images/runner.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { loadPyodide, type PyodideInterface } from 'pyodide';
import { beforeAll, describe, expect, it } from 'vitest';
import type { NodeContext } from '@plinth/shared';
import { PythonSession } from './pythonSession.ts';
import type { RunnableNode } from './protocol.ts';

const read = (relative: string) => readFileSync(fileURLToPath(new URL(relative, import.meta.url)), 'utf8');

let pyodide: PyodideInterface;
let python: PythonSession;
let interruptBuffer: Int32Array;

beforeAll(async () => {
  pyodide = await loadPyodide();
  interruptBuffer = new Int32Array(new SharedArrayBuffer(4));
  python = PythonSession.install(
    pyodide,
    { runner: read('../../../sandbox-images/runner/plinth_runner.py'), bridge: read('./plinth_bridge.py') },
    interruptBuffer,
  );
}, 120_000);

let runCounter = 0;
function ctx(runId = `run-${++runCounter}`): NodeContext {
  return { runId, graph: 'fraud-check', version: null };
}
function node(code: string, id = 'features'): RunnableNode {
  return { id, type: 'python', code };
}

describe('preview with the shared runner in real Pyodide', () => {
  it('returns what process(data, ctx) returns', async () => {
    const code = "def process(data, ctx):\n    return {'amount': data['amount'] * 2, 'graph': ctx.graph}\n";
    const outcome = await python.runNode(node(code), { amount: 21 }, ctx());
    expect(outcome).toEqual({ ok: true, output: { amount: 42, graph: 'fraud-check' }, logs: [] });
  });

  it('awaits an async process', async () => {
    const code = 'import asyncio\nasync def process(data, ctx):\n    await asyncio.sleep(0)\n    return data + 1\n';
    expect(await python.runNode(node(code), 1, ctx())).toMatchObject({ ok: true, output: 2 });
  });

  it('captures printed lines and ctx.log per stream, in order', async () => {
    const code = [
      'import sys',
      'def process(data, ctx):',
      "    print('hello', data)",
      "    ctx.log('scored', 0.5)",
      "    print('oops', file=sys.stderr)",
      "    return 'done'",
    ].join('\n');
    const outcome = await python.runNode(node(code), 'x', ctx());
    expect(outcome.logs).toEqual([
      { stream: 'stdout', text: 'hello x' },
      { stream: 'log', text: 'scored 0.5' },
      { stream: 'stderr', text: 'oops' },
    ]);
  });

  it("reports an exception with a traceback whose line numbers are the node's own", async () => {
    const code = "def process(data, ctx):\n    total = 0\n    return data['missing'] + total\n";
    const outcome = await python.runNode(node(code), {}, ctx());
    if (outcome.ok) throw new Error('expected the node to fail');
    expect(outcome.error).toMatchObject({ code: 'node_failed', type: 'KeyError', line: 3 });
    expect(outcome.error.traceback).toContain('line 3, in process');
    expect(outcome.error.traceback).not.toContain('plinth_bridge');
    expect(outcome.error.traceback).not.toContain('plinth_runner');
  });

  it('refuses a result that is not JSON, naming the node and the type', async () => {
    const outcome = await python.runNode(node('def process(data, ctx):\n    return {1, 2}\n', 'tags'), null, ctx());
    if (outcome.ok) throw new Error('expected invalid_output');
    expect(outcome.error.code).toBe('invalid_output');
    expect(outcome.error.message).toContain("'tags'");
    expect(outcome.error.message).toContain('set');
  });

  it('reports a missing process function', async () => {
    const outcome = await python.runNode(node('x = 1\n'), null, ctx());
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) expect(outcome.error.message).toContain('process(data, ctx)');
  });

  it('runs module-level code once per version of the code, as a server worker does', async () => {
    const code = 'calls = []\ndef process(data, ctx):\n    calls.append(data)\n    return len(calls)\n';
    expect(await python.runNode(node(code, 'counter'), 'a', ctx())).toMatchObject({ output: 1 });
    expect(await python.runNode(node(code, 'counter'), 'b', ctx())).toMatchObject({ output: 2 });
    const edited = `${code}# edited\n`;
    expect(await python.runNode(node(edited, 'counter'), 'c', ctx())).toMatchObject({ output: 1 });
  });

  it('shares ctx.state between the nodes of one run and forgets it when the run ends', async () => {
    const write = node("def process(data, ctx):\n    ctx.state['seen'] = data\n    return data\n", 'write');
    const readState = node("def process(data, ctx):\n    return ctx.state.get('seen')\n", 'read');
    const run = ctx('shared-run');
    await python.runNode(write, 'remembered', run);
    expect(await python.runNode(readState, null, run)).toMatchObject({ output: 'remembered' });
    expect(await python.runNode(readState, null, ctx())).toMatchObject({ output: null });
    python.endRun('shared-run');
    expect(await python.runNode(readState, null, run)).toMatchObject({ output: null });
  });

  it('turns an interrupt (the Stop button) into a "Stopped" error at the looping line', async () => {
    // What the Stop button does from the main thread while the worker spins: SIGINT into the shared buffer.
    const stopper = new Worker(
      'const { workerData } = require("node:worker_threads");' +
        'setTimeout(() => Atomics.store(new Int32Array(workerData), 0, 2), 300);',
      { eval: true, workerData: interruptBuffer.buffer },
    );
    const outcome = await python.runNode(
      node('def process(data, ctx):\n    while True:\n        pass\n', 'spin'),
      null,
      ctx(),
    );
    await stopper.terminate();
    if (outcome.ok) throw new Error('expected the run to stop');
    expect(outcome.error.message).toMatch(/^Stopped/);
    expect(outcome.error.type).toBe('KeyboardInterrupt');
    expect([2, 3]).toContain(outcome.error.line);
    // And Python is usable again afterwards.
    expect(await python.runNode(node('def process(data, ctx):\n    return 7\n', 'spin'), null, ctx())).toMatchObject({
      ok: true,
      output: 7,
    });
  }, 30_000);
});

describe('checkSyntax with Python’s own parser', () => {
  it('finds nothing wrong in valid code', () => {
    expect(python.checkSyntax('def process(data, ctx):\n    return data\n')).toEqual([]);
  });

  it('locates a syntax error by line and column', () => {
    const [problem, ...rest] = python.checkSyntax('def process(data, ctx):\n    return (data +\n\nx = 1\n');
    expect(rest).toEqual([]);
    expect(problem).toMatchObject({ severity: 'error', line: 2, column: 12 });
    expect(problem?.message).toMatch(/never closed/);
  });

  it('reports errors only the compiler sees, such as return outside a function', () => {
    const problems = python.checkSyntax('def process(data, ctx):\n    return data\nreturn 1\n');
    expect(problems).toEqual([expect.objectContaining({ line: 3, column: 1, message: "'return' outside function" })]);
  });

  it('warns when there is no process function', () => {
    expect(python.checkSyntax('x = 1\n')).toEqual([expect.objectContaining({ severity: 'warning', line: 1 })]);
  });

  it('never runs the code it checks', () => {
    python.checkSyntax('import builtins\nbuiltins.plinth_was_run = True\ndef process(data, ctx):\n    return 1\n');
    expect(pyodide.runPython("import builtins\nhasattr(builtins, 'plinth_was_run')")).toBe(false);
  });
});
