import { randomUUID } from 'node:crypto';
import { mkdir, rename } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import {
  GRAPH_NAME_PATTERN,
  modelNameFrom,
  PlinthError,
  readModelConfig,
  type Json,
  type ModelConfig,
  type ModelStatus,
} from '@plinth/shared';
import type { ModelRuntime } from '../../runtime/model/modelRuntime.ts';
import type { LeaseOptions } from '../../runtime/process/ProcessPool.ts';
import type { ModelDeployer } from './modelDeployer.ts';
import { receiveUpload, removeQuietly, unpackPackage } from './modelPackage.ts';
import type { ModelPinsIndex } from './modelPins.ts';
import { ModelStore, packageDir, versionInfo, type ModelVersionInfo } from './modelStore.ts';

export interface ModelSummary {
  name: string;
  liveVersion: number | null;
  lastVersion: number;
  /** The newest version's status (what the IDE shows next to the name). */
  status: ModelStatus | null;
  /** From the live version's config, else the newest's. */
  exampleInput: Json | null;
  description: Json | null;
}

export interface UploadOptions {
  /** The model's name; from config.yaml's model_name when absent. */
  name?: string;
  /** Go live once ready (default true). */
  promote?: boolean;
}

export interface PredictOptions extends LeaseOptions {
  /** A version; the live one when absent. */
  version?: number;
  timeoutMs?: number;
}

/** Models and their versions: upload, build in the background, promote, predict. */
export class ModelService {
  constructor(
    private readonly store: ModelStore,
    private readonly deployer: ModelDeployer,
    private readonly runtime: ModelRuntime,
    private readonly pins: ModelPinsIndex,
    private readonly settings: { root: string; maxBytes: number; predictTimeoutMs: number },
  ) {}

  /**
   * Receives a .tar.gz, checks it (every problem at once, 400), stores it as the model's next
   * version and answers at once; building and loading go on in the background.
   */
  async upload(
    body: Readable,
    options: UploadOptions = {},
  ): Promise<{ name: string; version: number; status: ModelStatus }> {
    const incoming = path.join(this.settings.root, '.incoming', randomUUID());
    const archive = `${incoming}.tar.gz`;
    try {
      await receiveUpload(body, archive, this.settings.maxBytes);
      const unpacked = await unpackPackage(archive, incoming, this.settings.maxBytes);
      const problems = [...unpacked.problems];
      if (unpacked.readable) {
        // With a config too broken to read, model.py is still checked where Truss's defaults put it.
        const config = unpacked.config ?? readModelConfig({}).config!;
        problems.push(...(await this.deployer.checkSource(incoming, config)));
      }
      const name = this.nameFor(options.name, unpacked.config, problems);
      if (problems.length > 0 || !unpacked.config) {
        throw new PlinthError(
          'invalid_package',
          `the model package has ${problems.length} problem(s): ${problems[0]?.message ?? ''}`,
          {
            problems,
          },
        );
      }
      const version = await this.store.addVersion(randomUUID(), name, unpacked.config, options.promote ?? true);
      const model = await this.store.model(name);
      const dir = packageDir(this.settings.root, model.id, version);
      await mkdir(path.dirname(dir), { recursive: true, mode: 0o755 });
      await rename(incoming, dir);
      void this.deployer.build(model, version, unpacked.config);
      return { name, version, status: 'building' };
    } finally {
      await removeQuietly(archive);
      await removeQuietly(incoming);
    }
  }

  private nameFor(
    given: string | undefined,
    config: ModelConfig | null,
    problems: { path: string; message: string }[],
  ): string {
    const name = given ?? (config?.modelName ? modelNameFrom(config.modelName) : '');
    // A config with problems has them listed already; its name is not known.
    if (given === undefined && !config) return name;
    if (!GRAPH_NAME_PATTERN.test(name)) {
      problems.push({
        path: given === undefined ? 'config.yaml: model_name' : 'name',
        message:
          given === undefined && !config?.modelName
            ? 'the model needs a name: set model_name in config.yaml or pass ?name=<name>'
            : `"${name}" is not a model name: lowercase letters, digits and -, starting with a letter`,
      });
    }
    return name;
  }

  async list(): Promise<ModelSummary[]> {
    const summaries: ModelSummary[] = [];
    for (const model of await this.store.models()) {
      const versions = await this.store.versions(model.id);
      const newest = versions.at(-1);
      const shown = versions.find((v) => v.version === model.live_version) ?? newest;
      const config = shown ? (JSON.parse(shown.config) as ModelConfig) : null;
      summaries.push({
        name: model.name,
        liveVersion: model.live_version,
        lastVersion: model.last_version,
        status: (newest?.status as ModelStatus | undefined) ?? null,
        exampleInput: config?.exampleInput ?? null,
        description: config?.modelMetadata.description ?? null,
      });
    }
    return summaries;
  }

  async get(name: string): Promise<{ name: string; liveVersion: number | null; versions: ModelVersionInfo[] }> {
    const model = await this.store.model(name);
    const versions = (await this.store.versions(model.id)).map((v) => versionInfo(v, model.live_version));
    return { name: model.name, liveVersion: model.live_version, versions };
  }

  async getVersion(name: string, version: number): Promise<ModelVersionInfo> {
    const model = await this.store.model(name);
    return versionInfo(await this.store.version(model, version), model.live_version);
  }

  /** Makes a ready version live (rolling back is promoting an older one). */
  async promote(name: string, version: number): Promise<{ version: number }> {
    const model = await this.store.model(name);
    const row = await this.store.version(model, version);
    if (row.status !== 'ready') {
      throw new PlinthError(
        'conflict',
        `model "${name}" v${version} is ${row.status}; only a ready version can go live`,
        {
          model: name,
          version,
          status: row.status,
        },
      );
    }
    await this.deployer.goLive(model, version);
    return { version };
  }

  /** Calls a version's predict (the live one unless pinned); failures are PlinthErrors. */
  async predict(name: string, input: Json, options: PredictOptions = {}): Promise<{ version: number; output: Json }> {
    const { version, key } = await this.serving(name, options.version);
    const timeoutMs = options.timeoutMs ?? this.settings.predictTimeoutMs;
    const outcome = await this.runtime.predict(key, input, timeoutMs, options.signal ? { signal: options.signal } : {});
    if (outcome.ok) return { version, output: outcome.output };
    const { code, message, ...details } = outcome;
    throw new PlinthError(code, message, { model: name, version, ...details });
  }

  /** The live version of a model, or null (for pinning at publish). */
  async liveVersion(name: string): Promise<number | null> {
    const model = await this.store.model(name).catch(() => null);
    return model?.live_version ?? null;
  }

  /** Which version serves, checked ready and with its workers running (started when needed). */
  private async serving(name: string, wanted?: number): Promise<{ version: number; key: string }> {
    // The hot path touches no database: a running version is served as it is.
    const known = wanted ?? this.store.cachedLive(name);
    if (known !== undefined && known !== null && this.runtime.has(`${name}@v${known}`)) {
      return { version: known, key: `${name}@v${known}` };
    }
    const model = await this.store.model(name);
    const version = wanted ?? model.live_version;
    if (version === null) {
      throw new PlinthError(
        'model_unavailable',
        `model "${name}" has no live version yet: none of its versions is ready (GET /api/v1/models/${name})`,
        {
          model: name,
        },
      );
    }
    const key = `${name}@v${version}`;
    if (this.runtime.has(key)) return { version, key };
    const row = await this.store.version(model, version);
    if (row.status === 'building' || row.status === 'loading') {
      throw new PlinthError('model_loading', `model "${name}" v${version} is still ${row.status}; try again shortly`, {
        model: name,
        version,
        retryAfterSeconds: 5,
      });
    }
    if (row.status === 'failed') {
      const why = row.error ? (JSON.parse(row.error) as { message: string }).message : 'see its log';
      throw new PlinthError('model_unavailable', `model "${name}" v${version} failed to deploy: ${why}`, {
        model: name,
        version,
      });
    }
    await this.deployer.warm(model, version);
    return { version, key };
  }

  /** For a graph's model node: the version its graph version pinned, else the node's, else live. */
  async versionForNode(
    model: string,
    nodeVersion: number | null,
    graph: string,
    graphVersion: number | null,
  ): Promise<number | undefined> {
    return nodeVersion ?? (await this.pins.pinned(graph, graphVersion, model));
  }
}
