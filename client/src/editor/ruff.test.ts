import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { formatPython, lintPython, loadRuff } from './ruff.ts';

const RUFF_DIR = dirname(createRequire(import.meta.url).resolve('@astral-sh/ruff-wasm-web'));

describe('Ruff in WebAssembly', () => {
  beforeAll(async () => {
    await loadRuff(readFileSync(join(RUFF_DIR, 'ruff_wasm_bg.wasm')));
  });

  it('reports a syntax error with its line, as an error', async () => {
    const [problem, ...rest] = await lintPython('def process(data, ctx):\n    return data +\n');
    expect(rest).toEqual([]);
    expect(problem).toMatchObject({ code: 'invalid-syntax', severity: 'error', startLine: 2 });
    expect(problem?.message).toMatch(/^SyntaxError: /);
  });

  it('reports lint findings as warnings, unused code marked unnecessary', async () => {
    const problems = await lintPython('import os\n\ndef process(data, ctx):\n    return undefined_name\n');
    expect(problems.map((p) => [p.code, p.severity, p.startLine, p.startColumn, p.unnecessary])).toEqual([
      ['F821', 'warning', 4, 12, false],
      ['F401', 'warning', 1, 8, true],
    ]);
    expect(problems[0]?.message).toBe('Undefined name `undefined_name` (F821)');
  });

  it('formats as ruff format does, and leaves code that does not parse alone', async () => {
    expect(await formatPython("def process(data,ctx):\n  return {'a':1}\n")).toEqual({
      ok: true,
      code: 'def process(data, ctx):\n    return {"a": 1}\n',
    });
    expect(await formatPython('x = 1\n\ndef f(:\n')).toEqual({
      ok: false,
      message: 'Not formatted: Expected a parameter or the end of the parameter list (line 3)',
    });
  });
});
