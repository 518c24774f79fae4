import { describe, expect, it } from 'vitest';
import { firstDocstringLine } from './docstring.ts';

describe('firstDocstringLine', () => {
  it("reads process's docstring, first non-empty line", () => {
    const code =
      'import math\n\ndef process(data, ctx):\n    """\n    Score the payment.\n\n    More.\n    """\n    return 1\n';
    expect(firstDocstringLine(code)).toBe('Score the payment.');
  });

  it('reads a one-line docstring in single quotes, and an async process', () => {
    expect(firstDocstringLine("async def process(data, ctx) -> dict:\n    'Ask the model.'\n    return {}\n")).toBe(
      'Ask the model.',
    );
  });

  it("falls back to the module's docstring, after comments", () => {
    expect(
      firstDocstringLine('# helper\n"""Features for scoring."""\ndef process(data, ctx):\n    return data\n'),
    ).toBe('Features for scoring.');
  });

  it('is undefined without a docstring, or for a string that is not one', () => {
    expect(firstDocstringLine('def process(data, ctx):\n    return data\n')).toBeUndefined();
    expect(firstDocstringLine('def process(data, ctx):\n    x = "not a docstring"\n    return x\n')).toBeUndefined();
    expect(firstDocstringLine('def process(data, ctx):\n    """   """\n')).toBeUndefined();
  });
});
