import { describe, expect, it } from 'vitest';
import { curlSnippet, fetchSnippet, pythonSnippet, toPython } from './snippets.ts';

const input = {
  url: 'http://127.0.0.1:3000/api/v1/graphs/g/invoke',
  key: 'pk_123',
  input: { name: "O'Neil", ok: true, n: null },
};

describe('snippets', () => {
  it('curl quotes the body for the shell', () => {
    const s = curlSnippet(input);
    expect(s).toContain(`-d '{"name":"O'\\''Neil","ok":true,"n":null}'`);
    expect(s).toContain(`'Authorization: Bearer pk_123'`);
  });

  it('Python uses Python literals', () => {
    expect(toPython({ a: [true, false, null, 1.5, 'x'] })).toBe('{"a": [True, False, None, 1.5, "x"]}');
    expect(pythonSnippet(input)).toContain('json={"name": "O\'Neil", "ok": True, "n": None}');
  });

  it('fetch posts the JSON body with the key', () => {
    const s = fetchSnippet(input);
    expect(s).toContain('"Bearer pk_123"');
    expect(s).toContain('body: JSON.stringify({"name":"O\'Neil","ok":true,"n":null})');
  });
});
