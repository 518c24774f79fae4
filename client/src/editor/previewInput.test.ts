import { describe, expect, it } from 'vitest';
import { GraphDocumentSchema, type RunTrace } from '@plinth/shared';
import { defaultPreviewInput, parsePreviewInput } from './previewInput.ts';

const doc = GraphDocumentSchema.parse({
  format: 'plinth.graph/v1',
  name: 'g',
  nodes: [
    { id: 'input', type: 'input', example: { amount: 5 } },
    { id: 'first', type: 'python', code: '' },
    { id: 'second', type: 'python', code: '' },
    { id: 'output', type: 'output' },
  ],
  edges: [
    { source: 'input', target: 'first' },
    { source: 'first', target: 'second' },
    { source: 'second', target: 'output' },
  ],
});
const node = (id: string) => {
  const found = doc.nodes.find((n) => n.id === id);
  if (!found) throw new Error(id);
  return found;
};
const lastRun: RunTrace = {
  runId: 'r',
  output: null,
  error: null,
  durationMs: 3,
  nodes: { second: { status: 'ok', input: { amount: 10 }, output: 1, logs: [], durationMs: 1 } },
};

describe('defaultPreviewInput', () => {
  it('prefers the sample pinned to the node', () => {
    const pinned = { ...node('second'), pinnedInput: { pinned: true } };
    expect(defaultPreviewInput(doc, pinned, lastRun)).toEqual({ value: { pinned: true }, source: 'pinned' });
  });

  it('otherwise uses what the last test run fed the node', () => {
    expect(defaultPreviewInput(doc, node('second'), lastRun)).toEqual({ value: { amount: 10 }, source: 'last run' });
  });

  it("otherwise, right after the input node, uses the input's example", () => {
    expect(defaultPreviewInput(doc, node('first'), null)).toEqual({ value: { amount: 5 }, source: 'input example' });
  });

  it('has nothing to offer further down before any run', () => {
    expect(defaultPreviewInput(doc, node('second'), null)).toEqual({ value: undefined, source: 'none' });
  });
});

describe('parsePreviewInput', () => {
  it('reads JSON, an empty box as null, and names a parse error', () => {
    expect(parsePreviewInput('{"a": [1, 2]}')).toEqual({ ok: true, value: { a: [1, 2] } });
    expect(parsePreviewInput('  ')).toEqual({ ok: true, value: null });
    const bad = parsePreviewInput('{"a": ');
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.message).toMatch(/^The preview input is not valid JSON/);
  });
});
