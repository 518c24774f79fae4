/// <reference types="node" />
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { curlSnippet, fetchSnippet, pythonSnippet, toPython } from './snippets.ts';

const input = {
  url: 'http://127.0.0.1:3000/api/v1/graphs/g/invoke',
  key: 'pk_123',
  input: { name: "O'Neil", ok: true, n: null },
};

/** The arguments bash hands to `curl` when it runs the snippet, with PLINTH_API_KEY set. */
function curlArgs(snippet: string): string[] {
  const script = `curl() { printf '%s\\n' "$@"; }\n${snippet}`;
  const out = execFileSync('bash', ['-c', script], { env: { PLINTH_API_KEY: 'pk_from_env' }, encoding: 'utf8' });
  return out.trimEnd().split('\n');
}

describe('snippets', () => {
  it('curl quotes the body for the shell', () => {
    const s = curlSnippet(input);
    expect(s).toContain(`-d '{"name":"O'\\''Neil","ok":true,"n":null}'`);
    expect(s).toContain(`'Authorization: Bearer pk_123'`);
    expect(curlArgs(s)).toContain('{"name":"O\'Neil","ok":true,"n":null}');
  });

  it('curl without a key sends the one in PLINTH_API_KEY, expanded by the shell', () => {
    const args = curlArgs(curlSnippet({ ...input, key: null }));
    expect(args).toContain('Authorization: Bearer pk_from_env');
  });

  it('Python without a key reads PLINTH_API_KEY from the environment', () => {
    const fakeRequests = [
      'import sys, types',
      'class R:',
      '    headers = {"Plinth-Version": "1"}',
      '    def raise_for_status(self): pass',
      '    def json(self): return {}',
      'def post(url, headers, json, timeout):',
      '    print(headers["Authorization"])',
      '    return R()',
      'sys.modules["requests"] = types.SimpleNamespace(post=post)',
    ].join('\n');
    const out = execFileSync('python3', ['-c', `${fakeRequests}\n${pythonSnippet({ ...input, key: null })}`], {
      env: { PLINTH_API_KEY: 'pk_from_env' },
      encoding: 'utf8',
    });
    expect(out.split('\n')[0]).toBe('Bearer pk_from_env');
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

  it('fetch without a key reads PLINTH_API_KEY from the environment', () => {
    const fakeFetch = [
      'globalThis.fetch = async (url, init) => {',
      '  console.log(init.headers.Authorization);',
      '  return { ok: true, headers: { get: () => "1" }, json: async () => ({}) };',
      '};',
    ].join('\n');
    const out = execFileSync(
      process.execPath,
      ['--input-type=module', '-e', `${fakeFetch}\n${fetchSnippet({ ...input, key: null })}`],
      { env: { PLINTH_API_KEY: 'pk_from_env' }, encoding: 'utf8' },
    );
    expect(out.split('\n')[0]).toBe('Bearer pk_from_env');
  });
});
