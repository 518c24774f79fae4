import { describe, expect, it } from 'vitest';
import { shadowOf } from './shadow.ts';

describe('shadowOf', () => {
  it("annotates process's ctx and maps positions on that line", () => {
    const shadow = shadowOf('import json\ndef process(data, ctx):\n    return ctx.state\n');
    expect(shadow.text).toBe('import json\ndef process(data, ctx: PlinthContext):\n    return ctx.state\n');
    // Before and at the end of `ctx` nothing moves; after it, the annotation's width.
    expect(shadow.toShadow({ line: 1, character: 18 })).toEqual({ line: 1, character: 18 });
    expect(shadow.toShadow({ line: 1, character: 21 })).toEqual({ line: 1, character: 36 });
    expect(shadow.fromShadow({ line: 1, character: 36 })).toEqual({ line: 1, character: 21 });
    // Inside the annotation: the end of `ctx`.
    expect(shadow.fromShadow({ line: 1, character: 25 })).toEqual({ line: 1, character: 21 });
    // Other lines are the same.
    expect(shadow.toShadow({ line: 2, character: 11 })).toEqual({ line: 2, character: 11 });
  });

  it('handles async def and any parameter names', () => {
    expect(shadowOf('async def process(payload, context) :\n    pass').text).toBe(
      'async def process(payload, context: PlinthContext) :\n    pass',
    );
  });

  it('leaves an annotated ctx, or code without process, alone', () => {
    for (const code of ['def process(data, ctx: object):\n    pass\n', 'def other(a, b):\n    pass\n']) {
      const shadow = shadowOf(code);
      expect(shadow.text).toBe(code);
      expect(shadow.toShadow({ line: 0, character: 30 })).toEqual({ line: 0, character: 30 });
    }
  });
});
