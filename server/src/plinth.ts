import { createServer as createHttpServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { ensureSampleGraph } from './bootstrap.ts';
import type { ServerConfig } from './config.ts';
import { openDatabase, type Db, type Dialect } from './db/database.ts';
import { DeploymentEvents } from './events.ts';
import { createApp } from './http/app.ts';
import { handleCors } from './http/cors.ts';
import { handleInvoke, matchInvoke } from './rest/invoke.ts';
import {
  createGraphRuntime,
  describeSandbox,
  runtimeOptionsFromEnv,
  type Runtime,
  type RuntimeOptions,
} from './runtime/index.ts';
import { createServices, type Log, type Services } from './services/index.ts';
import { SecretBox } from './services/secretBox.ts';
import { environmentSandbox } from './python/environmentSandbox.ts';
import { PythonEnvironments } from './python/environments.ts';
import { pipSettingsFromEnv } from './python/pipSettings.ts';
import { createModelLayer, modelSettingsFromEnv, type ModelLayer } from './services/models/index.ts';
import { pipModelEnvironments, type ModelEnvironments } from './services/models/modelEnvironment.ts';
import { ensureModelZoo } from './zoo.ts';
import { attachLanguageServer } from './lsp/pythonLanguageServer.ts';
import { positiveInt } from './settings.ts';
import { join } from 'node:path';
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
  /** The virtualenvs of nodes' requirements (built by pip in a sandbox, cached by hash). */
  environments: PythonEnvironments;
  /** Which limits the workers' sandbox has in force, in one line (for the start-up banner). */
  sandboxSummary: string;
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
  const { db, dialect, file } = await openDatabase(config.databaseUrl, {
    log,
    ...(options.pgSchema !== undefined ? { pgSchema: options.pgSchema } : {}),
  });
  const env = options.env ?? process.env;
  const events = new DeploymentEvents(log);
  const runtimeOptions = { ...runtimeOptionsFromEnv(env, log), ...options.runtimeOptions };
  const environments = new PythonEnvironments({
    dataDir: config.dataDir,
    runtime: runtimeOptions,
    ...pipSettingsFromEnv(env),
    log,
  });
  // Model nodes reach the model layer, which is built once the services it needs exist.
  const late: { callModel?: ModelCaller } = {};
  const runtime =
    options.runtime ??
    createGraphRuntime(runtimeOptions, {
      prepareGraph: async (graph) => void (await environments.prepareGraph(graph)),
      setupGroup: async (group) => environmentSandbox(await environments.ensure(group.requirements), runtimeOptions),
      callModel: (...args) => late.callModel!(...args),
    });
  const secretBox = SecretBox.fromSettings(env, config.dataDir);
  const services = createServices({
    db,
    dialect,
    runtime,
    log,
    events,
    runHistory: config.runHistory,
    startLimits: config.startLimits,
    secretBox,
    ...(file !== undefined ? { sqliteFile: file } : {}),
  });
  await services.secrets.checkStored();
  const models = createModelLayer({
    db,
    events,
    log,
    secrets: services.secrets,
    dataDir: config.dataDir,
    runtimeOptions,
    settings: modelSettingsFromEnv(env),
    environments:
      options.environments ?? ((modelRuntime) => pipModelEnvironments(modelRuntime, environments, runtimeOptions)),
    ...(options.gpuDevices ? { devices: options.gpuDevices } : {}),
  });
  late.callModel = models.callModel;
  let url = reachableUrl(config.host, config.port);
  const core: PlinthCore = {
    config,
    db,
    dialect,
    events,
    runtime,
    services,
    environments,
    models,
    sandboxSummary: describeSandbox(runtimeOptions),
    log,
    publicUrl: () => url,
  };
  if (options.sample !== false) await ensureSampleGraph(db, services, log);
  // Versions left building by a stopped server build again; live and pinned ones get their workers.
  const resumed = models.deployer.resume().catch((e: unknown) => log(`resuming models: ${(e as Error).message}`));
  if (options.zoo ?? options.sample !== false) {
    void resumed.then(() => ensureModelZoo(db, models.service, log, env.PLINTH_MODEL_ZOO !== '0'));
  }

  const app = createApp(core);
  const http = createHttpServer((req, res) => {
    if (handleCors(config.corsOrigins, req, res)) return;
    // Invokes skip Express's router: it costs more CPU per request than the rest of an invoke.
    const target = matchInvoke(req.method, req.url);
    if (target) void handleInvoke(core, req, res, target);
    else app(req, res);
  });

  http.on('clientError', (error: NodeJS.ErrnoException, socket) => answerClientError(error, socket));
  // Pyright for the IDE's code editor, over a WebSocket behind the admin token (it analyses, never runs, code).
  const languageServer = attachLanguageServer(http, {
    adminToken: config.adminToken,
    workDir: join(config.dataDir, 'lsp'),
    maxSessions: positiveInt(env, 'PLINTH_LSP_MAX_SESSIONS', 4, 64),
    log,
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
        languageServer.close();
        const closed = new Promise((resolve) => http.close(resolve));
        http.closeIdleConnections();
        await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, STOP_GRACE_MS).unref())]);
        http.closeAllConnections();
        await runtime.close().catch((e: unknown) => log(`stopping workers: ${(e as Error).message}`));
        await models.runtime.close().catch((e: unknown) => log(`stopping model workers: ${(e as Error).message}`));
        await services.recorder.close();
        await db.destroy().catch((e: unknown) => log(`closing the database: ${(e as Error).message}`));
      })();
      return stopping;
    },
  };
}

/**
 * A request node:http could not even parse: say why instead of dropping the connection. A request
 * line or headers over node's limit (16 KiB, e.g. a 100 KB URL) is 431.
 */
function answerClientError(error: NodeJS.ErrnoException, socket: Duplex): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const tooLarge = error.code === 'HPE_HEADER_OVERFLOW';
  const status = tooLarge ? '431 Request Header Fields Too Large' : '400 Bad Request';
  const body = JSON.stringify({
    error: tooLarge
      ? { code: 'header_too_large', message: 'the URL or headers are larger than 16 KiB; send data in the body' }
      : { code: 'bad_request', message: `the request could not be parsed as HTTP: ${error.code ?? error.message}` },
  });
  socket.end(
    `HTTP/1.1 ${status}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

/** A URL a browser on this machine can open, even when listening on every interface. */
export function reachableUrl(host: string, port: number): string {
  const reachable = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  return `http://${reachable.includes(':') ? `[${reachable}]` : reachable}:${port}`;
}
