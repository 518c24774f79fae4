import { parse } from 'shell-quote';
import { PlinthError } from '@plinth/shared';

/** How virtualenvs are built; every field has an environment setting. */
export interface PipSettings {
  /** `PLINTH_PIP_INDEX_URL`; null keeps pip's own default index. */
  indexUrl: string | null;
  /** `PLINTH_PIP_ARGS`, split as a POSIX shell would (quotes, no variables or operators). */
  pipArgs: string[];
  /** `PLINTH_PIP_TIMEOUT_MS` (300000): the deadline of one whole build. */
  timeoutMs: number;
}

export const DEFAULT_PIP_TIMEOUT_MS = 300_000;

export function pipSettingsFromEnv(env: NodeJS.ProcessEnv): PipSettings {
  const indexUrl = env.PLINTH_PIP_INDEX_URL?.trim() || null;
  if (indexUrl !== null && !/^(https?|file):\/\//.test(indexUrl)) {
    throw new PlinthError(
      'internal',
      `PLINTH_PIP_INDEX_URL must be an http://, https:// or file:// URL of a package index, got ${JSON.stringify(indexUrl)}`,
    );
  }
  return {
    indexUrl,
    pipArgs: splitPipArgs(env.PLINTH_PIP_ARGS ?? ''),
    timeoutMs: positiveInt(env, 'PLINTH_PIP_TIMEOUT_MS', DEFAULT_PIP_TIMEOUT_MS),
  };
}

/** `--extra-index-url "http://a b" --pre` → three arguments; `$X`, `;` and `|` are refused, not guessed at. */
export function splitPipArgs(raw: string): string[] {
  const words = parse(raw, (name) => `$${name}`);
  return words.map((word) => {
    if (typeof word === 'string' && !word.includes('$')) return word;
    throw new PlinthError(
      'internal',
      `PLINTH_PIP_ARGS must be plain pip arguments (quoted as in a shell, without variables, globs or operators), ` +
        `got ${JSON.stringify(raw)}`,
    );
  });
}

function positiveInt(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw new PlinthError(
      'internal',
      `${name} must be a positive whole number of milliseconds, got ${JSON.stringify(raw)}`,
    );
  }
  return value;
}
