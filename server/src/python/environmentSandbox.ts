import path from 'node:path';
import type { RuntimeOptions } from '../runtime/process/runtimeOptions.ts';
import type { SandboxSpec } from '../runtime/process/sandboxCommand.ts';
import type { PythonEnvironment } from './environments.ts';

/** Where a node's venv appears inside a worker sandbox. */
export const VENV_MOUNT = '/opt/plinth/venv';

/**
 * What a worker's `SandboxSpec` needs for a node's venv: the venv mounted read-only and
 * `PLINTH_SITE_PACKAGES`, which the runner puts ahead of the system's site-packages at start.
 * Without a sandbox (`PLINTH_UNSAFE_NO_SANDBOX`) nothing is mounted: the host path is used.
 */
export function environmentSandbox(
  environment: PythonEnvironment | null,
  options: Pick<RuntimeOptions, 'sandbox'>,
): Required<Pick<SandboxSpec, 'mounts' | 'env'>> {
  if (!environment) return { mounts: [], env: {} };
  if (options.sandbox === 'none') return { mounts: [], env: { PLINTH_SITE_PACKAGES: environment.sitePackages } };
  const inside = path.posix.join(VENV_MOUNT, path.relative(environment.root, environment.sitePackages));
  return {
    mounts: [{ source: environment.root, target: VENV_MOUNT }],
    env: { PLINTH_SITE_PACKAGES: inside },
  };
}
