import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { normalisePackageName, type EnvironmentAnswer } from '@plinth/shared';
import { METADATA_FILE, WHEELS_DIR, type EnvironmentMetadata } from './buildEnvironment.ts';
import type { PythonEnvironment } from './environments.ts';

const WHEEL_FILE = /^[\w.+!-]+\.whl$/;

/**
 * What a venv holds, for a person or the browser preview: its `pip freeze` and every wheel pip
 * resolved (pure-Python ones, `py3-none-any`, are what Pyodide can load), with download URLs.
 */
export function describeEnvironment(environment: PythonEnvironment): EnvironmentAnswer {
  const metadata = JSON.parse(readFileSync(path.join(environment.root, METADATA_FILE), 'utf8')) as EnvironmentMetadata;
  const dir = path.join(environment.root, WHEELS_DIR);
  const files = existsSync(dir)
    ? readdirSync(dir)
        .filter((file) => WHEEL_FILE.test(file))
        .sort()
    : [];
  return {
    key: environment.key,
    requirements: metadata.requirements,
    installed: metadata.installed,
    wheels: files.map((file) => ({
      ...parseWheelName(file),
      file,
      url: `/api/v1/environments/${environment.key}/wheels/${encodeURIComponent(file)}`,
    })),
  };
}

/** The host path of one of a venv's wheels, or null when it has no such wheel. */
export function wheelPath(environment: PythonEnvironment, file: string): string | null {
  if (!WHEEL_FILE.test(file)) return null;
  const candidate = path.join(environment.root, WHEELS_DIR, file);
  return existsSync(candidate) ? candidate : null;
}

/** `{name}-{version}(-{build})?-{python}-{abi}-{platform}.whl` (PEP 427). */
export function parseWheelName(file: string): { name: string; version: string; pure: boolean } {
  const parts = file.slice(0, -'.whl'.length).split('-');
  const [python = '', abi = '', platform = ''] = parts.slice(-3);
  return {
    name: normalisePackageName(parts[0] ?? file),
    version: parts[1] ?? '',
    pure: abi === 'none' && platform === 'any' && python.split('.').includes('py3'),
  };
}
