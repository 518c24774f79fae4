import { describe, expect, it } from 'vitest';
import { lineDiff } from './lineDiff.ts';

describe('lineDiff', () => {
  it('marks removed and added lines and keeps the rest', () => {
    const diff = lineDiff('a\nb\nc\nd', 'a\nc\nx\nd');
    expect(diff).toEqual([
      { kind: 'same', text: 'a' },
      { kind: 'removed', text: 'b' },
      { kind: 'same', text: 'c' },
      { kind: 'added', text: 'x' },
      { kind: 'same', text: 'd' },
    ]);
  });

  it('reports identical texts as all same', () => {
    expect(lineDiff('x\ny', 'x\ny').every((l) => l.kind === 'same')).toBe(true);
  });

  it('handles a change of a document value as one removed and one added line', () => {
    const before = JSON.stringify({ name: 'g', code: 'return 1' }, null, 2);
    const after = JSON.stringify({ name: 'g', code: 'return 2' }, null, 2);
    const changed = lineDiff(before, after).filter((l) => l.kind !== 'same');
    expect(changed).toEqual([
      { kind: 'removed', text: '  "code": "return 1"' },
      { kind: 'added', text: '  "code": "return 2"' },
    ]);
  });
});
