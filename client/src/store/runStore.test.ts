import { describe, expect, it } from 'vitest';
import type { RunTrace } from '@plinth/shared';
import { createRunStore } from './runStore.ts';

const trace = (output: string): RunTrace => ({
  runId: output,
  output,
  error: null,
  nodes: { step: { status: 'ok', output, logs: [], durationMs: 3 } },
  durationMs: 5,
});

describe('restoring a kept run', () => {
  it('shows it with its per-node status and input, and keeps the newer of two', () => {
    const runs = createRunStore();
    runs
      .getState()
      .restoreRun({ trace: trace('older'), target: 'browser', at: '2026-01-01T00:00:00Z', inputText: '{}' });
    runs
      .getState()
      .restoreRun({ trace: trace('newer'), target: 'server', at: '2026-01-02T00:00:00Z', inputText: null });
    runs
      .getState()
      .restoreRun({ trace: trace('oldest'), target: 'server', at: '2025-12-31T00:00:00Z', inputText: null });
    const s = runs.getState();
    expect(s.lastRun?.output).toBe('newer');
    expect(s.lastRunTarget).toBe('server');
    expect(s.live.step).toMatchObject({ status: 'ok' });
    expect(s.inputText).toBe('{}');
  });

  it('never replaces a run started in this editor', () => {
    const runs = createRunStore();
    runs.getState().startRun('server', ['step']);
    runs.getState().restoreRun({ trace: trace('kept'), target: 'server', at: '2099-01-01T00:00:00Z', inputText: null });
    expect(runs.getState().lastRun).toBeNull();
    runs.getState().finishRun(trace('fresh'));
    runs.getState().restoreRun({ trace: trace('kept'), target: 'server', at: '2000-01-01T00:00:00Z', inputText: null });
    expect(runs.getState().lastRun?.output).toBe('fresh');
  });
});
