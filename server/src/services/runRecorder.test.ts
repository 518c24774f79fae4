import { describe, expect, it } from 'vitest';
import type { Json, RunTrace } from '@plinth/shared';
import { recordJson, toRecord, type FinishedRun } from './runRecorder.ts';

function run(payload: Json, error = false): FinishedRun {
  const trace: RunTrace = {
    runId: 'r1',
    output: error ? null : payload,
    error: error ? { nodeId: 'b', code: 'node_failed', message: 'boom' } : null,
    durationMs: 1.5,
    nodes: {
      a: { status: 'ok', input: payload, output: payload, logs: [{ stream: 'stdout', text: 'hi' }], durationMs: 0.5 },
      b: error
        ? {
            status: 'error',
            input: payload,
            logs: [],
            durationMs: 0.1,
            error: { code: 'node_failed', message: 'boom' },
          }
        : { status: 'ok', input: payload, output: 'approve', branch: 'approve', logs: [], durationMs: 0.1 },
      c: { status: 'skipped', logs: [], durationMs: 0 },
    },
  };
  return {
    graphId: 'g',
    graph: 'pay',
    version: 3,
    kind: 'invoke',
    startedAt: new Date('2026-01-02T03:04:05Z'),
    input: payload,
    trace,
    keepPayloads: true,
  };
}

describe('the run history record', () => {
  // recordJson takes a one-stringify shortcut; what it stores must be what toRecord says, limit or not.
  const cases: [string, Json, number][] = [
    ['small payloads, all kept', { amount: 42.5, country: 'DE' }, 64 * 1024],
    ['payloads over the limit, left out and said so', { text: 'x'.repeat(500) }, 300],
    ['multi-byte text near the limit', { text: 'ü'.repeat(120) }, 800],
    ['payloads not kept at all', { amount: 1 }, 0],
  ];
  for (const [what, payload, limit] of cases) {
    for (const error of [false, true]) {
      it(`is the same JSON either way: ${what}${error ? ', failed run' : ''}`, () => {
        const r = run(payload, error);
        const { json } = recordJson(r, limit);
        expect(JSON.parse(json)).toEqual(JSON.parse(JSON.stringify(toRecord(r, limit))));
        if (limit > 0) expect(Buffer.byteLength(json)).toBeLessThan(limit + 2000);
      });
    }
  }

  it('says which payloads were left out when one is over the limit', () => {
    const { json } = recordJson(run({ text: 'x'.repeat(500) }), 300);
    const record = JSON.parse(json) as { omitted: string[]; input?: unknown };
    expect(record.input).toBeUndefined();
    expect(record.omitted).toContain('input: 511 bytes, over the 300-byte limit (PLINTH_RUN_PAYLOAD_BYTES)');
  });
});
