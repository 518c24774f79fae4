import type { Server } from 'node:http';
import { PlinthError } from '@plinth/shared';
import { createServer } from './app.ts';
import { ensureSampleGraph } from './bootstrap.ts';
import { ConfigError, loadConfig, type ServerConfig } from './config.ts';
import { openDatabase, type Dialect } from './db/database.ts';
import { PythonEnvironments } from './python/environments.ts';
import { pipSettingsFromEnv } from './python/pipSettings.ts';
import { createRuntime, runtimeOptionsFromEnv } from './runtime/index.ts';
import { createServices } from './services/index.ts';
import { SERVER_VERSION } from './version.ts';

/** How long in-flight requests get to finish on SIGINT/SIGTERM. */
const SHUTDOWN_GRACE_MS = 5000;

const log = (message: string) => process.stderr.write(`[plinth] ${message}\n`);

async function main(): Promise<void> {
  const config = loadConfig();
  const { db, dialect } = await openDatabase(config.databaseUrl);
  const runtimeOptions = runtimeOptionsFromEnv(process.env, log);
  const runtime = createRuntime(runtimeOptions);
  const environments = new PythonEnvironments({
    dataDir: config.dataDir,
    runtime: runtimeOptions,
    ...pipSettingsFromEnv(process.env),
    log,
  });
  const services = createServices({ db, dialect, runtime, log });
  await ensureSampleGraph(db, services, log);

  const publicUrl = reachableUrl(config);
  const server: Server = createServer({ ...config, db, runtime, services, environments, publicUrl, log });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  process.stdout.write(banner(config, publicUrl, runtime.sandbox, dialect));

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: stopping`);
    // Finish the requests in flight (for a while), then cut what is left.
    const closed = new Promise((resolve) => server.close(resolve));
    server.closeIdleConnections();
    await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, SHUTDOWN_GRACE_MS).unref())]);
    server.closeAllConnections();
    await runtime.close().catch((e: unknown) => log(`stopping workers: ${(e as Error).message}`));
    await db.destroy().catch((e: unknown) => log(`closing the database: ${(e as Error).message}`));
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

/** A URL a browser on this machine can open, even when listening on every interface. */
function reachableUrl(config: ServerConfig): string {
  const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  return `http://${host.includes(':') ? `[${host}]` : host}:${config.port}`;
}

function banner(config: ServerConfig, publicUrl: string, sandbox: 'bwrap' | 'none', dialect: Dialect): string {
  const where = dialect === 'sqlite' ? config.databaseUrl.slice('sqlite:'.length) : 'PostgreSQL (DATABASE_URL)';
  const token =
    config.adminTokenSource === 'env' ? 'from PLINTH_ADMIN_TOKEN' : `saved in ${config.dataDir}/admin-token`;
  const sandboxLine =
    sandbox === 'bwrap' ? 'bubblewrap (bwrap)' : 'NONE: Python nodes run unsandboxed (PLINTH_UNSAFE_NO_SANDBOX=1)';
  return [
    '',
    `  Plinth ${SERVER_VERSION} is running.`,
    '',
    `  Open the IDE:  ${publicUrl}/?token=${encodeURIComponent(config.adminToken)}`,
    `  Admin token:   ${token}`,
    `  REST API:      ${publicUrl}/api/v1  (Authorization: Bearer <token>)`,
    `  Sandbox:       ${sandboxLine}`,
    `  Database:      ${where}`,
    '',
    '',
  ].join('\n');
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof PlinthError) {
    process.stderr.write(`plinth: ${error.message}\n`);
  } else if (
    (error as NodeJS.ErrnoException)?.code === 'ECONNREFUSED' ||
    (error as Error)?.message?.includes('database')
  ) {
    process.stderr.write(`plinth: cannot use the database (DATABASE_URL): ${(error as Error).message}\n`);
  } else if ((error as NodeJS.ErrnoException)?.code === 'EADDRINUSE') {
    process.stderr.write(`plinth: port ${process.env.PORT ?? 3000} is in use; set PORT to another one\n`);
  } else {
    process.stderr.write(`plinth: could not start: ${(error as Error)?.stack ?? String(error)}\n`);
  }
  process.exit(1);
});
