import BetterSqlite3 from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import type { Database } from './schema.ts';
import { migrationProvider } from './migrations.ts';

export type Db = Kysely<Database>;
export type Dialect = 'sqlite' | 'postgres';

export interface OpenedDatabase {
  db: Db;
  dialect: Dialect;
  /** SQLite: the database file, which a second connection may open (none for an in-memory one). */
  file?: string;
}

export interface OpenDatabaseOptions {
  /** PostgreSQL only: the schema to create and work in (tests use a fresh one each run). */
  pgSchema?: string;
  /** Where lost connections are reported (the server's log). */
  log?: (message: string) => void;
}

/** Opens `sqlite:<file>` or a `postgres://` URL and brings its schema up to date. */
export async function openDatabase(url: string, options: OpenDatabaseOptions = {}): Promise<OpenedDatabase> {
  const opened = url.startsWith('sqlite:') ? openSqlite(url.slice('sqlite:'.length)) : await openPostgres(url, options);
  await migrate(opened.db, opened.dialect === 'postgres' ? options.pgSchema : undefined);
  return opened;
}

function openSqlite(file: string): OpenedDatabase {
  const sqlite = new BetterSqlite3(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('foreign_keys = ON');
  // Freed pages are zeroed: a deleted secret's sealed value does not linger in the file.
  sqlite.pragma('secure_delete = ON');
  return {
    db: new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) }),
    dialect: 'sqlite',
    ...(sqlite.memory || sqlite.name === '' ? {} : { file: sqlite.name }),
  };
}

async function openPostgres(url: string, options: OpenDatabaseOptions): Promise<OpenedDatabase> {
  const schema = options.pgSchema;
  if (schema !== undefined && !/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`bad schema name ${schema}`);
  if (schema) {
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    try {
      await admin.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    } finally {
      await admin.end();
    }
  }
  const pool = new pg.Pool({
    connectionString: url,
    max: 10,
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  });
  // A client losing its connection (PostgreSQL restarted, backend terminated) must not crash the
  // server: idle ones report through the pool, checked-out ones through their own 'error' event.
  // The query in flight fails (the request gets 503), and the pool connects afresh for the next.
  const log = options.log ?? ((message: string) => void process.stderr.write(`[plinth] ${message}\n`));
  const lost = (error: Error) => log(`PostgreSQL connection lost: ${error.message}`);
  pool.on('error', lost);
  pool.on('connect', (client) => client.on('error', lost));
  return { db: new Kysely<Database>({ dialect: new PostgresDialect({ pool }) }), dialect: 'postgres' };
}

async function migrate(db: Db, schema: string | undefined): Promise<void> {
  // Kysely finds its bookkeeping tables by name across schemas, so name the schema explicitly.
  const migrator = new Migrator({
    db,
    provider: migrationProvider,
    ...(schema ? { migrationTableSchema: schema } : {}),
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName;
    const reason = error instanceof Error ? error.message : JSON.stringify(error);
    throw new Error(
      failed ? `database migration ${failed} failed: ${reason}` : `could not reach or prepare the database: ${reason}`,
    );
  }
}

/**
 * Whether an error means the database cannot be reached right now (connection refused or lost,
 * server shutting down or starting): the request is answered 503, the server keeps serving.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  const e = error as { code?: unknown; message?: unknown } | null;
  const code = typeof e?.code === 'string' ? e.code : '';
  // 08xxx: connection exceptions; 57P01-57P03: admin shutdown, crash shutdown, cannot connect now.
  if (/^08/.test(code) || /^57P0[123]$/.test(code)) return true;
  if (['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN'].includes(code)) return true;
  const message = typeof e?.message === 'string' ? e.message : '';
  return /Connection terminated|connection timeout|Client has encountered a connection error|terminating connection/i.test(
    message,
  );
}

/** Whether an error is a unique-constraint violation, in either dialect. */
export function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: unknown; message?: unknown };
  return e?.code === '23505' || e?.code === 'SQLITE_CONSTRAINT_UNIQUE' || e?.code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}
