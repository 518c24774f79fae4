import { readdirSync } from 'node:fs';
import { PlinthError } from '@plinth/shared';
import type { SandboxSpec } from '../../runtime/process/sandboxCommand.ts';
import type { ModelRuntime } from '../../runtime/model/modelRuntime.ts';
import type { RuntimeOptions } from '../../runtime/process/runtimeOptions.ts';
import { environmentSandbox } from '../../python/environmentSandbox.ts';
import type { PythonEnvironments } from '../../python/environments.ts';

/** What a model version's sandbox needs for its requirements: a virtualenv's mounts and environment. */
export type RequirementsSetup = Pick<SandboxSpec, 'mounts' | 'env'>;

/**
 * Makes a package's requirements importable in its workers. The real one builds a virtualenv
 * per requirements hash with pip (`PythonEnvironments`); it throws a PlinthError with pip's
 * message when they cannot be installed. `log` adds a line to the version's build log.
 */
export interface ModelEnvironments {
  /** `packageDir`: the package on the host, for a check that needs to look at it. */
  ensure(requirements: readonly string[], log: (line: string) => void, packageDir: string): Promise<RequirementsSetup>;
}

/**
 * The default: no pip. Requirements the machine's Python already satisfies (checked in a
 * sandboxed worker against its installed distributions) need nothing; any other is refused,
 * naming what is missing and what to do.
 */
export function systemPythonEnvironments(runtime: ModelRuntime): ModelEnvironments {
  return {
    async ensure(requirements, log, packageDir) {
      if (requirements.length === 0) return {};
      const { missing } = await runtime.check(packageDir, { config: {}, requirements });
      if (missing.length === 0) {
        log(`requirements: all ${requirements.length} satisfied by the server's Python, no virtualenv needed`);
        return {};
      }
      const lines = missing.map((m) => `${m.requirement}: ${m.reason}`);
      throw new PlinthError(
        'invalid_package',
        `the server's Python lacks requirements of this package (${lines.join('; ')}); this server installs no ` +
          'packages with pip, so install them on the machine (e.g. apt-get install python3-<name>) or relax the versions in config.yaml',
        {
          problems: missing.map((m) => ({
            path: 'config.yaml: requirements',
            message: `${m.requirement}: ${m.reason}`,
          })),
        },
      );
    },
  };
}

/**
 * The server's: requirements the machine's Python satisfies need nothing (the scikit-learn, PyTorch
 * and numpy of a notebook's `plinth.deploy` usually are); the rest are installed with pip into a
 * virtualenv by requirements hash, exactly as for nodes (`PythonEnvironments`), and mounted read-only.
 */
export function pipModelEnvironments(
  runtime: ModelRuntime,
  python: PythonEnvironments,
  options: Pick<RuntimeOptions, 'sandbox'>,
): ModelEnvironments {
  return {
    async ensure(requirements, log, packageDir) {
      if (requirements.length === 0) return {};
      const { missing } = await runtime.check(packageDir, { config: {}, requirements });
      if (missing.length === 0) {
        log(`requirements: all ${requirements.length} satisfied by the server's Python, no virtualenv needed`);
        return {};
      }
      const lines = missing.map((m) => m.requirement);
      const lacks = missing.map((m) => `${m.requirement}: ${m.reason}`).join('; ');
      log(`requirements: installing ${lines.join(', ')} with pip (the server's Python lacks them: ${lacks})`);
      let environment: Awaited<ReturnType<PythonEnvironments['ensure']>>;
      try {
        environment = await python.ensure(lines);
      } catch (error) {
        if (!(error instanceof PlinthError)) throw error;
        throw new PlinthError(
          error.code,
          `the server's Python lacks requirements of this package (${lacks}), and pip could not install them: ${error.message}`,
          error.details,
        );
      }
      log(`requirements: virtualenv ${environment?.key.slice(0, 12) ?? '-'} ready`);
      return environmentSandbox(environment, options);
    },
  };
}

/** The GPU device nodes of this machine (`/dev/nvidia*`), empty without one. */
export function nvidiaDevices(devDir = '/dev'): string[] {
  try {
    return readdirSync(devDir)
      .filter((name) => name.startsWith('nvidia'))
      .map((name) => `${devDir}/${name}`);
  } catch {
    return [];
  }
}

/**
 * The sandbox additions for `use_gpu: true`: the NVIDIA device nodes and CUDA_VISIBLE_DEVICES
 * (the driver's libraries are under /usr, which every sandbox sees read-only). Throws when this
 * machine has no GPU, so the deploy fails saying so.
 */
export function gpuSandbox(devices: string[]): Pick<SandboxSpec, 'devices' | 'env'> {
  const gpus = devices.filter((d) => /\/nvidia\d+$/.test(d));
  if (gpus.length === 0) {
    throw new PlinthError(
      'invalid_package',
      'resources.use_gpu is true, but this machine has no NVIDIA GPU (no /dev/nvidia0, ... device nodes); ' +
        'set use_gpu: false in config.yaml, or deploy to a server with a GPU and its driver installed',
      { problems: [{ path: 'config.yaml: resources.use_gpu', message: 'no GPU on this server' }] },
    );
  }
  const visible = gpus.map((d) => d.replace(/^.*nvidia/, '')).join(',');
  return { devices, env: { CUDA_VISIBLE_DEVICES: visible } };
}
