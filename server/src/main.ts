import { PlinthError } from '@plinth/shared';
import { ConfigError, loadConfig, type ServerConfig } from './config.ts';
import type { Dialect } from './db/database.ts';
import { createPlinth } from './plinth.ts';
import { SERVER_VERSION } from './version.ts';

const log = (message: string) => process.stderr.write(`[plinth] ${message}\n`);

async function main(): Promise<void> {
  const config = loadConfig();
  const plinth = await createPlinth(config, { log });
  const publicUrl = await plinth.listen();
  process.stdout.write(banner(config, publicUrl, plinth.runtime.sandbox, plinth.sandboxSummary, plinth.dialect));

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: stopping`);
    await plinth.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

function banner(
  config: ServerConfig,
  publicUrl: string,
  sandbox: 'bwrap' | 'none',
  limits: string,
  dialect: Dialect,
): string {
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
    `  Limits:        ${limits}`,
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
