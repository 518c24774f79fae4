import { execFileSync } from 'node:child_process';
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
    expect(s).toContain(`"Authorization: Bearer pk_123"`);
  });

  it('curl without a key reads $PLINTH_API_KEY, and the shell expands it', () => {
    const s = curlSnippet({ ...input, key: null });
    const header = /-H ("Authorization[^"]*")/.exec(s)?.[1];
    expect(header).toBe('"Authorization: Bearer $PLINTH_API_KEY"');
    const expanded = execFileSync('bash', ['-c', `printf %s ${header}`], {
      env: { PATH: process.env.PATH, PLINTH_API_KEY: 'pk_from_env' },
      encoding: 'utf8',
    });
    expect(expanded).toBe('Authorization: Bearer pk_from_env');
    // A key shown in the panel is taken literally, whatever it holds.
    const odd = /-H ("Authorization[^\n]*") \\/.exec(curlSnippet({ ...input, key: 'a$b"c' }))?.[1] ?? '';
    expect(execFileSync('bash', ['-c', `printf %s ${odd}`], { encoding: 'utf8' })).toBe('Authorization: Bearer a$b"c');
  });

  it('Python uses Python literals', () => {
    expect(toPython({ a: [true, false, null, 1.5, 'x'] })).toBe('{"a": [True, False, None, 1.5, "x"]}');
    expect(pythonSnippet(input)).toContain('json={"name": "O\'Neil", "ok": True, "n": None}');
  });

  it('Python and fetch without a key read it from PLINTH_API_KEY', () => {
    expect(pythonSnippet({ ...input, key: null })).toContain(
      `headers={"Authorization": f"Bearer {os.environ['PLINTH_API_KEY']}"}`,
    );
    expect(fetchSnippet({ ...input, key: null })).toContain('Authorization: `Bearer ${PLINTH_API_KEY}`');
  });

  it('fetch posts the JSON body with the key', () => {
    const s = fetchSnippet(input);
    expect(s).toContain('"Bearer pk_123"');
    expect(s).toContain('body: JSON.stringify({"name":"O\'Neil","ok":true,"n":null})');
  });
});
