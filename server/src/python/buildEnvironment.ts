import { chownSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { RuntimeOptions } from '../runtime/process/runtimeOptions.ts';
import type { SandboxSpec } from '../runtime/process/sandboxCommand.ts';
import { VENV_MOUNT } from './environmentSandbox.ts';
import type { PipSettings } from './pipSettings.ts';
import { pipReach } from './indexReach.ts';
import { runSandboxed } from './runSandboxed.ts';

/** The file that marks a finished venv and says what it holds. */
export const METADATA_FILE = 'plinth-environment.json';
/** Every wheel pip resolved for the list (the browser preview loads the pure-Python ones). */
export const WHEELS_DIR = 'wheels';

export interface EnvironmentMetadata {
  key: string;
  requirements: string[];
  python: string;
  pythonVersion: string;
  indexUrl: string | null;
  pipArgs: string[];
  /** `pip freeze --local`: what the venv installed on top of the system's packages. */
  installed: string[];
  builtAt: string;
}

/** pip (or venv) failed; `output` is everything it printed, for the error and the log. */
export class PipFailure extends Error {
  constructor(
    readonly step: string,
    readonly output: string,
    readonly timedOut: boolean,
  ) {
    super(`${step} failed`);
  }
}

export interface BuildPlan {
  dir: string;
  requirements: readonly string[];
  metadata: Omit<EnvironmentMetadata, 'installed' | 'builtAt'>;
  runtime: RuntimeOptions;
  pip: PipSettings;
}

/**
 * Builds a venv in `plan.dir` (an empty directory the sandbox may write): create it, let pip
 * download and build every wheel (the only step with network), install those wheels with the
 * network off, and record `pip freeze`. Every step runs in the worker sandbox, because pip runs
 * the build scripts of the packages it fetches.
 */
export async function buildEnvironment(plan: BuildPlan): Promise<void> {
  const { dir, runtime, pip } = plan;
  const deadline = Date.now() + pip.timeoutMs;
  const tmp = path.join(dir, '.tmp');
  mkdirSync(tmp);
  writeFileSync(path.join(dir, 'requirements.txt'), plan.requirements.join('\n') + '\n');
  // Under a root server sandboxes run as nobody (see sandboxCommand.ts): the build dir is theirs.
  if (process.getuid?.() === 0) for (const writable of [dir, tmp]) chownSync(writable, NOBODY, NOBODY);
  // Inside, the venv is built where workers mount it, so an absolute path pip records holds there too.
  const venvRoot = runtime.sandbox === 'none' ? dir : VENV_MOUNT;
  const inside = (...parts: string[]) => path.posix.join(venvRoot, ...parts);
  const venvPython = inside('bin', 'python');
  const wheels = inside(WHEELS_DIR);
  // Debian's pip, seen through --system-site-packages, installs into the venv: no ensurepip copy per venv.
  const pipRun = [venvPython, '-m', 'pip'];
  const quiet = ['--no-input', '--disable-pip-version-check', '--no-cache-dir'];
  // Fail in seconds on an index that does not answer; PLINTH_PIP_ARGS comes after, so it can say otherwise.
  // pip's download step runs behind the same egress filter as a node with network; the configured
  // index, when it is on this machine or a private network, is the one place it may reach there.
  const sandboxed = runtime.sandbox !== 'none';
  const reached = sandboxed ? await pipReach(pip) : { reach: [], indexUrl: pip.indexUrl, pipArgs: pip.pipArgs };
  const index = [...(reached.indexUrl ? ['--index-url', reached.indexUrl] : []), '--retries', '1', '--timeout', '10'];
  const requirementsFile = ['-r', inside('requirements.txt')];
  const log: string[] = [];
  const step = async (name: string, argv: string[], network: boolean): Promise<string> => {
    const spec: SandboxSpec = {
      network,
      ...(network ? { reach: reached.reach } : {}),
      argv,
      writableMounts: [{ source: dir, target: VENV_MOUNT }],
      // pip's config files and the server's PIP_* variables never apply: only the PLINTH_PIP_* settings do.
      env: { TMPDIR: inside('.tmp'), PIP_CONFIG_FILE: '/dev/null', PYTHONNOUSERSITE: '1' },
    };
    const result = await runSandboxed(buildSandbox(runtime), spec, deadline);
    const output = `${result.stdout}${result.stderr}`;
    log.push(`$ ${argv.join(' ')}`, output);
    if (result.status !== 0) throw new PipFailure(name, output, result.timedOut);
    return result.stdout;
  };
  try {
    await step(
      'venv',
      [plan.metadata.python, '-m', 'venv', '--without-pip', '--system-site-packages', venvRoot],
      false,
    );
    await step(
      'pip wheel',
      [...pipRun, 'wheel', ...quiet, ...index, ...reached.pipArgs, '-w', wheels, ...requirementsFile],
      true,
    );
    const offline = ['--no-index', '--find-links', wheels];
    await step('pip install', [...pipRun, 'install', ...quiet, ...pip.pipArgs, ...offline, ...requirementsFile], false);
    const freeze = await step('pip freeze', [...pipRun, 'freeze', '--local', '--disable-pip-version-check'], false);
    const metadata: EnvironmentMetadata = {
      ...plan.metadata,
      installed: freeze.split('\n').filter((line) => line.trim() !== ''),
      builtAt: new Date().toISOString(),
    };
    writeFileSync(path.join(dir, METADATA_FILE), JSON.stringify(metadata, null, 2) + '\n');
  } finally {
    writeFileSync(path.join(dir, 'build.log'), log.join('\n'));
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** The site-packages directory of a venv (`lib/python3.X/site-packages`). */
export function sitePackagesOf(root: string): string {
  const lib = path.join(root, 'lib');
  const python = readdirSync(lib).find((name) => name.startsWith('python'));
  if (!python) throw new Error(`${root} has no lib/python*/ directory`);
  return path.join(lib, python, 'site-packages');
}

const GIB = 1024 * 1024 * 1024;
const NOBODY = 65534;

/** Builds download and unpack wheels far larger than a node may write, and may need more memory. */
function buildSandbox(runtime: RuntimeOptions): RuntimeOptions {
  return {
    ...runtime,
    maxFileBytes: Math.max(runtime.maxFileBytes, 4 * GIB),
    memoryLimitMb: Math.max(runtime.memoryLimitMb, 4096),
    cpuSeconds: Math.max(runtime.cpuSeconds, 3600),
  };
}
