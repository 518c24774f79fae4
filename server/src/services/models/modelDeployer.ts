import { PlinthError, type ModelConfig, type Problem } from '@plinth/shared';
import { ModelLoadError } from '../../runtime/model/ModelWorker.ts';
import type { ModelRuntime, ModelSpec } from '../../runtime/model/modelRuntime.ts';
import type { Log } from '../context.ts';
import type { SecretService } from '../secretService.ts';
import { gpuSandbox, nvidiaDevices, type ModelEnvironments } from './modelEnvironment.ts';
import type { ModelPinsIndex } from './modelPins.ts';
import { packageDir, type ModelRow, type ModelStore } from './modelStore.ts';

export interface DeployerSettings {
  root: string;
  /** The worker memory limit when config.yaml gives none (PLINTH_WORKER_MEMORY_MB). */
  defaultMemoryMb: number;
  /** The GPU device nodes of this machine (`/dev/nvidia*`). */
  devices?: string[];
}

/**
 * Takes a stored version from `building` to `ready` or `failed`: requirements, GPU, then workers
 * that load the model. Keeps the live and pinned versions' workers running, and no others.
 */
export class ModelDeployer {
  constructor(
    private readonly store: ModelStore,
    private readonly runtime: ModelRuntime,
    private readonly environments: ModelEnvironments,
    private readonly secrets: SecretService,
    private readonly pins: ModelPinsIndex,
    private readonly settings: DeployerSettings,
    private readonly log: Log,
  ) {}

  /** model.py read by `ast` in a sandboxed worker: `class Model` and `predict` are there. */
  async checkSource(dir: string, config: ModelConfig): Promise<Problem[]> {
    const reply = await this.runtime.check(dir, { config: workerConfig(config), requirements: [] });
    return reply.problems;
  }

  /** Builds and loads a new version in the background; never throws (the version says how it went). */
  async build(model: ModelRow, version: number, config: ModelConfig): Promise<void> {
    const buildLog: string[] = [];
    const step = (line: string) => void buildLog.push(`${new Date().toISOString()} ${line}`);
    const title = `model '${model.name}' v${version}`;
    try {
      step(
        `received ${title}: ${config.requirements.length} requirement(s), predict_concurrency ${config.predictConcurrency}`,
      );
      const spec = await this.spec(model, version, config, step);
      await this.store.setStatus(model.id, version, 'loading', { buildLog });
      step('loading: importing model.py and running load() in a sandboxed worker');
      const loaded = await this.runtime.deploy(spec);
      step(`ready: load() took ${Math.round(loaded.loadMs)} ms`);
      await this.store.setStatus(model.id, version, 'ready', { buildLog, loadLog: loaded.logs, error: null });
      const row = await this.store.version(model, version);
      if (row.promote === 1) await this.goLive(await this.store.model(model.name), version);
      else await this.keepOnlyServing(model.name);
    } catch (error) {
      const load = error instanceof ModelLoadError ? error : null;
      const message = error instanceof Error ? error.message : String(error);
      step(`failed: ${message}`);
      await this.runtime.retire(`${model.name}@v${version}`);
      await this.store
        .setStatus(model.id, version, 'failed', {
          buildLog,
          ...(load ? { loadLog: load.logs } : {}),
          error: { message, ...(load?.traceback ? { traceback: load.traceback } : {}) },
        })
        .catch((e: unknown) => this.log(`recording that ${title} failed: ${(e as Error).message}`));
    }
  }

  /** Makes a version live and stops the workers of versions nothing serves any more. */
  async goLive(model: ModelRow, version: number): Promise<void> {
    await this.warm(model, version);
    await this.store.setLive(model, version);
    await this.keepOnlyServing(model.name);
  }

  /** Starts a ready version's workers if they are not running. */
  async warm(model: ModelRow, version: number): Promise<void> {
    const key = `${model.name}@v${version}`;
    if (this.runtime.has(key)) return;
    const row = await this.store.version(model, version);
    const config = JSON.parse(row.config) as ModelConfig;
    try {
      await this.runtime.deploy(await this.spec(model, version, config, () => {}));
    } catch (error) {
      throw new PlinthError(
        'model_unavailable',
        `model "${model.name}" v${version} could not be started: ${(error as Error).message}`,
      );
    }
  }

  /**
   * At start: versions a stopped server left building or loading are built again; live and
   * pinned ready versions get their workers. In the background; failures are in each version.
   */
  async resume(): Promise<void> {
    const pinned = await this.pins.allPinned();
    for (const row of await this.store.unfinishedOrServing()) {
      const model = await this.store.model(row.name);
      const config = JSON.parse(row.config) as ModelConfig;
      const key = `${row.name}@v${row.version}`;
      if (row.status === 'building' || row.status === 'loading') await this.build(model, row.version, config);
      else if (row.status === 'ready' && (row.version === row.live_version || pinned.has(key))) {
        await this.warm(model, row.version).catch((e: unknown) => this.log((e as Error).message));
      }
    }
  }

  /** Retires the workers of a model's versions that are neither live nor pinned by a published graph. */
  async keepOnlyServing(name: string): Promise<void> {
    const model = await this.store.model(name);
    const pinned = await this.pins.allPinned();
    for (const key of this.runtime.keys()) {
      if (!key.startsWith(`${name}@v`)) continue;
      const version = Number(key.slice(name.length + 2));
      if (version !== model.live_version && !pinned.has(key)) await this.runtime.retire(key);
    }
  }

  private async spec(
    model: ModelRow,
    version: number,
    config: ModelConfig,
    step: (line: string) => void,
  ): Promise<ModelSpec> {
    const dir = packageDir(this.settings.root, model.id, version);
    const gpu = config.resources.useGpu ? gpuSandbox(this.settings.devices ?? nvidiaDevices()) : null;
    if (gpu) step(`GPU: binding ${gpu.devices!.join(', ')} (CUDA_VISIBLE_DEVICES=${gpu.env!.CUDA_VISIBLE_DEVICES})`);
    const setup = await this.environments.ensure(config.requirements, step, dir);
    // A model receives the secrets its config.yaml declares, and no others (as a graph does).
    const stored = await this.secrets.valuesFor(Object.keys(config.secrets));
    const secrets = Object.fromEntries(
      Object.entries(config.secrets).map(([name, fallback]) => [name, stored[name] ?? fallback]),
    );
    return {
      key: `${model.name}@v${version}`,
      title: `model '${model.name}' v${version}`,
      packageDir: dir,
      config: workerConfig(config),
      secrets,
      concurrency: config.predictConcurrency,
      memoryLimitMb: config.resources.memoryMb ?? this.settings.defaultMemoryMb,
      sandbox: {
        env: { ...config.environmentVariables, ...setup.env, ...gpu?.env },
        mounts: setup.mounts ?? [],
        ...(gpu?.devices ? { devices: gpu.devices } : {}),
      },
    };
  }
}

/** What the model server needs of the config: where things are in the package. */
function workerConfig(config: ModelConfig): Record<string, unknown> {
  return {
    model_module_dir: config.modelModuleDir,
    model_class_filename: config.modelClassFilename,
    model_class_name: config.modelClassName,
    bundled_packages_dir: config.bundledPackagesDir,
    external_package_dirs: config.externalPackageDirs,
    data_dir: config.dataDir,
    model_name: config.modelName,
    model_metadata: config.modelMetadata,
    requirements: config.requirements,
    secrets: Object.fromEntries(Object.keys(config.secrets).map((k) => [k, null])),
    resources: { cpu: config.resources.cpu, use_gpu: config.resources.useGpu },
    runtime: { predict_concurrency: config.predictConcurrency },
  };
}
