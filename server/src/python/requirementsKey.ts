import { createHash } from 'node:crypto';

/** What decides the contents of a virtualenv, so what its cache key is made of. */
export interface EnvironmentIdentity {
  /** Normalised (see `normaliseRequirements` in shared). */
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
