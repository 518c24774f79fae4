import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError, onOff, positiveInt } from './settings.ts';
import { parseCorsOrigins } from './http/cors.ts';

export { ConfigError } from './settings.ts';

/** The default request body limit: 10 MiB, changed with `PLINTH_MAX_BODY_BYTES`. */
export const DEFAULT_MAX_BODY_BYTES = 10 * 1024 * 1024;

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Every setting of the server, read once from the environment. */
export interface ServerConfig {
  port: number;
  host: string;
  dataDir: string;
  /** `sqlite:<file>` or a `postgres://` URL. */
  databaseUrl: string;
  maxBodyBytes: number;
  /** Origins whose pages may invoke graphs and read their OpenAPI from a browser (`PLINTH_CORS_ORIGINS`). */
  corsOrigins: string[];
  /** Deepest nesting a JSON request body may have (`PLINTH_MAX_JSON_DEPTH`, 100). */
  maxJsonDepth: number;
  adminToken: string;
  /** Where the token came from, so the start-up banner can say so. */
  adminTokenSource: 'env' | 'file' | 'generated';
  clientDir: string;
  /** Cold worker starts per graph and per API key per minute (see services/startLimiter.ts). */
  startLimits: { perGraph: number; perKey: number };
  /** Run history: queue, payload cap and retention (see services/runRecorder.ts). */
  runHistory: {
    enabled: boolean;
    maxQueue: number;
    maxPayloadBytes: number;
    retentionDays: number;
    maxCount: number;
  };
}

/** The token from the env, or the one saved in the data dir, or a new one saved there (mode 0600). */
function resolveAdminToken(
  env: NodeJS.ProcessEnv,
  dataDir: string,
): Pick<ServerConfig, 'adminToken' | 'adminTokenSource'> {
  const fromEnv = env.PLINTH_ADMIN_TOKEN?.trim();
  if (fromEnv) {
    if (fromEnv.length < 16) throw new ConfigError('PLINTH_ADMIN_TOKEN must be at least 16 characters long');
    return { adminToken: fromEnv, adminTokenSource: 'env' };
  }
  const file = path.join(dataDir, 'admin-token');
  if (existsSync(file)) {
    const saved = readFileSync(file, 'utf8').trim();
    if (saved) return { adminToken: saved, adminTokenSource: 'file' };
  }
  const token = randomBytes(24).toString('base64url');
  writeFileSync(file, `${token}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return { adminToken: token, adminTokenSource: 'generated' };
}

function resolveDatabaseUrl(env: NodeJS.ProcessEnv, dataDir: string): string {
  const raw = env.DATABASE_URL?.trim();
  if (!raw) return `sqlite:${path.join(dataDir, 'plinth.db')}`;
  if (/^postgres(ql)?:\/\//.test(raw) || raw.startsWith('sqlite:')) return raw;
  throw new ConfigError(`DATABASE_URL must be a postgres://... URL or sqlite:<file>, got "${raw}"`);
}

/** Reads the server's settings, creating the data dir (and the admin token file) when needed. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const port = positiveInt(env, 'PORT', 3000, 65535);
  const host = env.HOST?.trim() || '127.0.0.1';
  // `npm start` runs in server/; INIT_CWD is where the user typed it, which is what `./.plinth` means to them.
  const base = env.INIT_CWD || process.cwd();
  const dataDir = path.resolve(base, env.PLINTH_DATA_DIR?.trim() || '.plinth');
  try {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  } catch (error) {
    throw new ConfigError(`PLINTH_DATA_DIR "${dataDir}" cannot be created: ${(error as Error).message}`);
  }
  return {
    port,
    host,
    dataDir,
    databaseUrl: resolveDatabaseUrl(env, dataDir),
    maxBodyBytes: positiveInt(env, 'PLINTH_MAX_BODY_BYTES', DEFAULT_MAX_BODY_BYTES),
    maxJsonDepth: positiveInt(env, 'PLINTH_MAX_JSON_DEPTH', 100),
    corsOrigins: parseCorsOrigins(env.PLINTH_CORS_ORIGINS),
    ...resolveAdminToken(env, dataDir),
    clientDir: path.resolve(base, env.PLINTH_CLIENT_DIR?.trim() || path.join(REPO_ROOT, 'client/dist')),
    startLimits: {
      perGraph: positiveInt(env, 'PLINTH_MAX_STARTS_PER_MINUTE', 30),
      perKey: positiveInt(env, 'PLINTH_MAX_STARTS_PER_KEY_PER_MINUTE', 30),
    },
    runHistory: {
      enabled: onOff(env, 'PLINTH_RUN_HISTORY', true),
      maxQueue: positiveInt(env, 'PLINTH_RUN_QUEUE', 10_000),
      maxPayloadBytes: positiveInt(env, 'PLINTH_RUN_PAYLOAD_BYTES', 64 * 1024),
      retentionDays: positiveInt(env, 'PLINTH_RUN_RETENTION_DAYS', 7),
      maxCount: positiveInt(env, 'PLINTH_RUN_MAX_COUNT', 100_000),
    },
  };
}
