import { createServer as createHttpServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ensureSampleGraph } from './bootstrap.ts';
import type { ServerConfig } from './config.ts';
import { openDatabase, type Db, type Dialect } from './db/database.ts';
import { DeploymentEvents } from './events.ts';
import { createApp } from './http/app.ts';
import { handleInvoke, matchInvoke } from './rest/invoke.ts';
import { createGraphRuntime, runtimeOptionsFromEnv, type Runtime, type RuntimeOptions } from './runtime/index.ts';
import { createServices, type Log, type Services } from './services/index.ts';
import { createModelLayer, modelSettingsFromEnv, type ModelLayer } from './services/models/index.ts';
import type { ModelEnvironments } from './services/models/modelEnvironment.ts';
import { ensureModelZoo } from './zoo.ts';
import type { ModelCaller } from './runtime/graph/WorkerNodeRunner.ts';

/** How long in-flight requests get to finish when Plinth stops. */
const STOP_GRACE_MS = 5000;

/** Everything the HTTP layer and every other door need; built once by `createPlinth`. */
export interface PlinthCore {
  config: ServerConfig;
  db: Db;
  dialect: Dialect;
  events: DeploymentEvents;
  runtime: Runtime;
  services: Services;
  /** Models next to the graph: upload, versions, predict, and the model node's caller. */
  models: ModelLayer;
  log: Log;
  /** Where the server is reachable once listening (`http://127.0.0.1:3000`), for snippets and links. */
  publicUrl(): string;
}

export interface Plinth extends PlinthCore {
  /** The HTTP server (not listening until `listen`). */
  http: Server;
  /** Starts listening; resolves to the URL a browser on this machine can open. */
  listen(): Promise<string>;
  /** Stops in order: HTTP (after a grace period), workers, run history, database. */
  stop(): Promise<void>;
}

export interface PlinthOptions {
  log?: Log;
  /** Where runtime settings come from (`PLINTH_WORKER_*`, ...); the process environment by default. */
  env?: NodeJS.ProcessEnv;
  /** Runtime settings over those of `env` (tests use smaller pools). */
  runtimeOptions?: Partial<RuntimeOptions>;
  /** A runtime to use instead of the sandboxed one (tests of parts that run no Python). */
  runtime?: Runtime;
  /** PostgreSQL schema to create and use (tests use a fresh one each). */
  pgSchema?: string;
  /** Create the sample graph on first start (default true). */
  sample?: boolean;
  /** Deploy the model zoo on first start (default: as `sample`). */
  zoo?: boolean;
  /** Requirements in virtualenvs; the machine's own Python by default (see ModelEnvironments). */
  environments?: ModelEnvironments;
  /** GPU device nodes instead of this machine's `/dev/nvidia*` (tests). */
  gpuDevices?: string[];
}

/**
 * Builds the whole server from its settings, in order: database (migrated), deployment events,
 * the sandboxed runtime, the services (each subscribing to the events it needs), then HTTP.
 */
export async function createPlinth(config: ServerConfig, options: PlinthOptions = {}): Promise<Plinth> {
  const log = options.log ?? ((message: string) => void process.stderr.write(`[plinth] ${message}\n`));
  const { db, dialect } = await openDatabase(
    config.databaseUrl,
    options.pgSchema !== undefined ? { pgSchema: options.pgSchema } : {},
  );
  const events = new DeploymentEvents(log);
  const env = options.env ?? process.env;
  const runtimeOptions = { ...runtimeOptionsFromEnv(env, log), ...options.runtimeOptions };
  // Model nodes reach the model layer, which is built once the services it needs exist.
  const late: { callModel?: ModelCaller } = {};
  const runtime =
    options.runtime ?? createGraphRuntime(runtimeOptions, { callModel: (...args) => late.callModel!(...args) });
  const services = createServices({ db, dialect, runtime, log, events, runHistory: config.runHistory });
  const models = createModelLayer({
    db,
    events,
    log,
    secrets: services.secrets,
    dataDir: config.dataDir,
    runtimeOptions,
    settings: modelSettingsFromEnv(env),
    ...(options.environments ? { environments: options.environments } : {}),
    ...(options.gpuDevices ? { devices: options.gpuDevices } : {}),
  });
  late.callModel = models.callModel;
  let url = reachableUrl(config.host, config.port);
  const core: PlinthCore = { config, db, dialect, events, runtime, services, models, log, publicUrl: () => url };
  if (options.sample !== false) await ensureSampleGraph(db, services, log);
  // Versions left building by a stopped server build again; live and pinned ones get their workers.
  const resumed = models.deployer.resume().catch((e: unknown) => log(`resuming models: ${(e as Error).message}`));
  if (options.zoo ?? options.sample !== false) {
    void resumed.then(() => ensureModelZoo(db, models.service, log, env.PLINTH_MODEL_ZOO !== '0'));
  }

  const app = createApp(core);
  const http = createHttpServer((req, res) => {
    // Invokes skip Express's router: it costs more CPU per request than the rest of an invoke.
    const target = matchInvoke(req.method, req.url);
    if (target) void handleInvoke(core, req, res, target);
    else app(req, res);
  });

  let stopping: Promise<void> | null = null;
  return {
    ...core,
    http,
    async listen() {
      await new Promise<void>((resolve, reject) => {
        http.once('error', reject);
        http.listen(config.port, config.host, () => resolve());
      });
      const { port } = http.address() as AddressInfo;
      url = reachableUrl(config.host, port);
      return url;
    },
    stop() {
      stopping ??= (async () => {
        const closed = new Promise((resolve) => http.close(resolve));
        http.closeIdleConnections();
        await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, STOP_GRACE_MS).unref())]);
        http.closeAllConnections();
        await runtime.close().catch((e: unknown) => log(`stopping workers: ${(e as Error).message}`));
        await models.runtime.close().catch((e: unknown) => log(`stopping model workers: ${(e as Error).message}`));
        await services.recorder.flush();
        await db.destroy().catch((e: unknown) => log(`closing the database: ${(e as Error).message}`));
      })();
      return stopping;
    },
  };
}

/** A URL a browser on this machine can open, even when listening on every interface. */
export function reachableUrl(host: string, port: number): string {
  const reachable = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  return `http://${reachable.includes(':') ? `[${reachable}]` : reachable}:${port}`;
}
