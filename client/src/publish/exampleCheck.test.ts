import { describe, expect, it } from 'vitest';
import type { RunTrace } from '@plinth/shared';
import { judgeExampleRun } from './exampleCheck.ts';

const trace = (error: RunTrace['error']): RunTrace => ({ runId: 'r', output: null, error, nodes: {}, durationMs: 1 });

describe('judgeExampleRun', () => {
  it('passes a run without an error', () => {
    expect(judgeExampleRun(trace(null), null)).toEqual({ kind: 'passed' });
  });

  it('blocks a node that imports a missing module, naming node and module', () => {
    const check = judgeExampleRun(
      trace({
        nodeId: 'features',
        code: 'node_failed',
        type: 'ModuleNotFoundError',
        message: "No module named 'numpy'",
      }),
      null,
    );
    expect(check).toEqual({
      kind: 'missing_module',
      nodeId: 'features',
      module: 'numpy',
      message:
        "Node features imports numpy, which is not installed on the server (ModuleNotFoundError: No module named 'numpy'). Add it to the node's requirements, then publish.",
    });
  });

  it('refuses (confirmably) any other failure, with its traceback, and a run that could not start', () => {
    expect(
      judgeExampleRun(
        trace({ nodeId: 'fee', code: 'node_failed', type: 'KeyError', message: "'amount'", traceback: 'line 2' }),
        null,
      ),
    ).toEqual({
      kind: 'failed',
      nodeId: 'fee',
      message: "Node fee failed on the input's example: KeyError: 'amount'",
      traceback: 'line 2',
    });
    const twice = trace({ nodeId: 'fee', code: 'node_failed', type: 'KeyError', message: "KeyError: 'amount'" });
    expect(judgeExampleRun(twice, null)).toMatchObject({
      message: "Node fee failed on the input's example: KeyError: 'amount'",
    });
    expect(judgeExampleRun(null, 'The draft could not be saved')).toEqual({
      kind: 'failed',
      nodeId: null,
      message: 'The draft could not be saved',
    });
  });
});
