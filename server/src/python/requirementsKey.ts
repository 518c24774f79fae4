import { createHash } from 'node:crypto';

/**
 * A node's requirement lines as pip reads them from a requirements file: trimmed, without
 * blank lines and comments (a whole-line `#`, or ` #` after the requirement), without
 * duplicates, sorted. Two nodes whose lists normalise alike share one virtualenv.
 */
export function normaliseRequirements(requirements: readonly string[]): string[] {
  const lines = requirements
    .flatMap((entry) => entry.split(/\r?\n/))
    .map((line) => line.replace(/(^|\s)#.*$/, '').trim())
    .filter((line) => line !== '');
  return [...new Set(lines)].sort();
}

/** What decides the contents of a virtualenv, so what its cache key is made of. */
export interface EnvironmentIdentity {
  /** Normalised (see {@link normaliseRequirements}). */
  requirements: readonly string[];
  /** `sys.version` of the interpreter the venv is made from. */
  pythonVersion: string;
  /** `PLINTH_PIP_INDEX_URL`, or null for pip's default. */
  indexUrl: string | null;
  /** `PLINTH_PIP_ARGS`: they can change what gets installed (`--pre`, `--extra-index-url`). */
  pipArgs: readonly string[];
}

/** sha256 (hex) of everything that decides what the venv holds. */
export function environmentKey(identity: EnvironmentIdentity): string {
  const canonical = JSON.stringify([
    identity.requirements,
    identity.pythonVersion,
    identity.indexUrl,
    identity.pipArgs,
  ]);
  return createHash('sha256').update(canonical).digest('hex');
}
