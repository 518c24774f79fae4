import { PlinthError, type NodeErrorCode, type NodeOutcome } from '@plinth/shared';
import type { Db } from '../../db/database.ts';
import type { DeploymentEvents } from '../../events.ts';
import type { ModelCaller } from '../../runtime/graph/WorkerNodeRunner.ts';
import { DEFAULT_MODEL_SERVER_PATH, ModelRuntime } from '../../runtime/model/modelRuntime.ts';
import type { RuntimeOptions } from '../../runtime/process/runtimeOptions.ts';
import { positiveInt } from '../../settings.ts';
import type { Log } from '../context.ts';
import type { SecretService } from '../secretService.ts';
import { ModelDeployer } from './modelDeployer.ts';
import { systemPythonEnvironments, type ModelEnvironments } from './modelEnvironment.ts';
import { ModelPinsIndex } from './modelPins.ts';
import { ModelService } from './modelService.ts';
import { modelsRoot, ModelStore } from './modelStore.ts';

const MIB = 1024 * 1024;

/** The model layer's settings, each from the environment with a default. */
export interface ModelSettings {
  /** Largest package, uploaded and unpacked (`PLINTH_MODEL_MAX_BYTES`, 512 MiB). */
  maxBytes: number;
  /** Timeout of a predict over the API (`PLINTH_MODEL_TIMEOUT_MS`, 30000); a model node uses its own timeoutMs. */
  predictTimeoutMs: number;
  /** Time to import model.py and run load() (`PLINTH_MODEL_LOAD_TIMEOUT_MS`, 300000). */
  loadTimeoutMs: number;
  /** Workers per model version (`PLINTH_MODEL_WORKERS`, 1). */
  workersPerModel: number;
  serverPath: string;
}

export function modelSettingsFromEnv(env: NodeJS.ProcessEnv): ModelSettings {
  return {
    maxBytes: positiveInt(env, 'PLINTH_MODEL_MAX_BYTES', 512 * MIB),
    predictTimeoutMs: positiveInt(env, 'PLINTH_MODEL_TIMEOUT_MS', 30_000),
    loadTimeoutMs: positiveInt(env, 'PLINTH_MODEL_LOAD_TIMEOUT_MS', 300_000),
    workersPerModel: positiveInt(env, 'PLINTH_MODEL_WORKERS', 1),
    serverPath: env.PLINTH_MODEL_SERVER_PATH || DEFAULT_MODEL_SERVER_PATH,
  };
}

export interface ModelLayer {
  service: ModelService;
  deployer: ModelDeployer;
  runtime: ModelRuntime;
  /** What the graph runtime calls for a model node. */
  callModel: ModelCaller;
}

export interface ModelLayerDeps {
  db: Db;
  events: DeploymentEvents;
  log: Log;
  secrets: SecretService;
  dataDir: string;
  runtimeOptions: RuntimeOptions;
  settings: ModelSettings;
  /** How requirements become importable (given the model runtime); the machine's own Python only by default. */
  environments?: ModelEnvironments | ((runtime: ModelRuntime) => ModelEnvironments);
  /** The GPU device nodes; this machine's `/dev/nvidia*` by default (tests pass their own). */
  devices?: string[];
}

/** Builds the model layer: its runtime, store, deployer and service, and the model node's caller. */
export function createModelLayer(deps: ModelLayerDeps): ModelLayer {
  const { settings } = deps;
  const root = modelsRoot(deps.dataDir);
  const runtime = new ModelRuntime(deps.runtimeOptions, {
    workersPerModel: settings.workersPerModel,
    loadTimeoutMs: settings.loadTimeoutMs,
    serverPath: settings.serverPath,
  });
  const store = new ModelStore(deps.db);
  const pins = new ModelPinsIndex(
    deps.db,
    deps.events,
    async (model) => (await store.model(model).catch(() => null))?.live_version ?? null,
  );
  const deployer = new ModelDeployer(
    store,
    runtime,
    typeof deps.environments === 'function'
      ? deps.environments(runtime)
      : (deps.environments ?? systemPythonEnvironments(runtime)),
    deps.secrets,
    pins,
    { root, defaultMemoryMb: deps.runtimeOptions.memoryLimitMb, ...(deps.devices ? { devices: deps.devices } : {}) },
    deps.log,
  );
  // A deleted graph's versions pin nothing any more: their model versions may stop, unless live.
  deps.events.on('graphDeleted', async () => {
    for (const model of await store.models()) await deployer.keepOnlyServing(model.name);
  });
  const service = new ModelService(store, deployer, runtime, pins, {
    root,
    maxBytes: settings.maxBytes,
    predictTimeoutMs: settings.predictTimeoutMs,
  });
  return { service, deployer, runtime, callModel: modelCaller(service) };
}

/** Node error codes for what a model call can end with. */
const NODE_CODES: Partial<Record<string, NodeErrorCode>> = {
  model_failed: 'node_failed',
  model_timeout: 'node_timeout',
  invalid_output: 'invalid_output',
  worker_crashed: 'worker_crashed',
};

/** A model node calls the version its published graph pinned, the one it names, or the live one. */
export function modelCaller(service: ModelService): ModelCaller {
  return async (node, data, ctx): Promise<NodeOutcome> => {
    if (node.model === '') {
      return failed(
        'model_unavailable',
        `model node '${node.id}' names no model; choose a deployed model in its panel`,
      );
    }
    try {
      const version = await service.versionForNode(node.model, node.modelVersion, ctx.graph, ctx.version);
      const result = await service.predict(node.model, data, {
        ...(version !== undefined ? { version } : {}),
        timeoutMs: node.timeoutMs,
      });
      return { ok: true, output: result.output, logs: [] };
    } catch (error) {
      if (!(error instanceof PlinthError)) throw error;
      const { type, traceback } = error.details as { type?: string; traceback?: string };
      return {
        ok: false,
        logs: [],
        error: {
          code: NODE_CODES[error.code] ?? 'model_unavailable',
          message: `node '${node.id}' (model "${node.model}"): ${error.message}`,
          ...(typeof type === 'string' ? { type } : {}),
          ...(typeof traceback === 'string' ? { traceback } : {}),
        },
      };
    }
  };
}

function failed(code: NodeErrorCode, message: string): NodeOutcome {
  return { ok: false, logs: [], error: { code, message } };
}
