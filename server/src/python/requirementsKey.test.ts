import { describe, expect, it } from 'vitest';
import { normaliseRequirements, PlinthError } from '@plinth/shared';
import { pipSettingsFromEnv, splitPipArgs } from './pipSettings.ts';
import { environmentKey } from './requirementsKey.ts';

describe('normaliseRequirements', () => {
  it('drops blanks and comments, trims, dedupes and sorts, as pip reads a requirements file', () => {
    expect(
      normaliseRequirements(['  requests==2.31 ', '', '# pinned', 'numpy>=2  # fast maths', 'requests==2.31']),
    ).toEqual(['numpy>=2', 'requests==2.31']);
  });

  it('keeps a # that is part of a URL fragment', () => {
    expect(normaliseRequirements(['pkg @ https://example.invalid/pkg.whl#sha256=ab'])).toEqual([
      'pkg @ https://example.invalid/pkg.whl#sha256=ab',
    ]);
  });
});

describe('environmentKey', () => {
  const base = { requirements: ['a==1'], pythonVersion: '3.11.2', indexUrl: null, pipArgs: [] };
  it('is the same for the same inputs and changes with each of them', () => {
    const key = environmentKey(base);
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(environmentKey({ ...base })).toBe(key);
    expect(environmentKey({ ...base, requirements: ['a==2'] })).not.toBe(key);
    expect(environmentKey({ ...base, pythonVersion: '3.12.0' })).not.toBe(key);
    expect(environmentKey({ ...base, indexUrl: 'http://127.0.0.1:1/simple' })).not.toBe(key);
    expect(environmentKey({ ...base, pipArgs: ['--pre'] })).not.toBe(key);
  });
});

describe('pip settings', () => {
  it('splits PLINTH_PIP_ARGS as a shell would', () => {
    expect(splitPipArgs(`--extra-index-url "http://127.0.0.1:1/a b" --pre`)).toEqual([
      '--extra-index-url',
      'http://127.0.0.1:1/a b',
      '--pre',
    ]);
  });

  it('refuses variables and shell operators instead of guessing', () => {
    expect(() => splitPipArgs('--pre; rm -rf /')).toThrow(/PLINTH_PIP_ARGS must be plain pip arguments/);
    expect(() => splitPipArgs('--index-url $INDEX')).toThrow(PlinthError);
  });

  it('has defaults, and names the setting that is wrong', () => {
    expect(pipSettingsFromEnv({})).toEqual({ indexUrl: null, pipArgs: [], timeoutMs: 300_000 });
    expect(() => pipSettingsFromEnv({ PLINTH_PIP_TIMEOUT_MS: 'soon' })).toThrow(/PLINTH_PIP_TIMEOUT_MS/);
    expect(() => pipSettingsFromEnv({ PLINTH_PIP_INDEX_URL: 'pypi' })).toThrow(/PLINTH_PIP_INDEX_URL/);
  });
});
