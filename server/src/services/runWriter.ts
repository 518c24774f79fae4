import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { Db } from '../db/database.ts';
import type { RunsTable } from '../db/schema.ts';
import type { Log } from './context.ts';

/** Where the run recorder's rows go: the database, in order; `write` resolves once they are in. */
export interface RunRowWriter {
  write(rows: RunsTable[]): Promise<void>;
  close(): Promise<void>;
}

const BATCH = 200;

/** Through the server's own Kysely connection (PostgreSQL, or SQLite when no thread can be used). */
export function kyselyRowWriter(db: Db): RunRowWriter {
  return {
    async write(rows) {
      for (let i = 0; i < rows.length; i += BATCH)
        await db
          .insertInto('runs')
          .values(rows.slice(i, i + BATCH))
          .execute();
    },
    close: () => Promise.resolve(),
  };
}

// The thread's code: plain JavaScript (no loader needed), its own connection to the same SQLite file
// (WAL: readers on the main connection see each batch once it is committed), one transaction a batch.
const THREAD = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true });
db.pragma('busy_timeout = 5000');
db.pragma('secure_delete = ON');
const insert = db.prepare(
  'INSERT INTO runs (id, graph_id, graph, version, kind, status, error_code, started_at, duration_ms, record) ' +
    'VALUES (@id, @graph_id, @graph, @version, @kind, @status, @error_code, @started_at, @duration_ms, @record)',
);
const insertAll = db.transaction((rows) => { for (const row of rows) insert.run(row); });
parentPort.on('message', ({ id, rows }) => {
  try {
    insertAll(rows);
    parentPort.postMessage({ id, error: null });
  } catch (error) {
    parentPort.postMessage({ id, error: String((error && error.message) || error) });
  }
});
`;

/**
 * SQLite's inserts are synchronous: on the main thread they take the time of the requests being
 * answered (about a tenth of it under load). This writer does them on a thread of their own with its
 * own connection. Should the thread fail, it says so in the log and writes on the main connection.
 */
export class SqliteThreadRowWriter implements RunRowWriter {
  private worker: Worker | null;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: () => void; reject: (error: Error) => void }>();
  private readonly fallback: RunRowWriter;

  constructor(file: string, db: Db, log: Log) {
    this.fallback = kyselyRowWriter(db);
    const driver = createRequire(import.meta.url).resolve('better-sqlite3');
    this.worker = new Worker(THREAD, { eval: true, workerData: { file, driver }, execArgv: [] });
    this.worker.unref();
    this.worker.on('message', ({ id, error }: { id: number; error: string | null }) => {
      const waiting = this.pending.get(id);
      this.pending.delete(id);
      // An idle writer does not keep the process alive; one with rows in hand does (see `write`).
      if (this.pending.size === 0) this.worker?.unref();
      if (error === null) waiting?.resolve();
      else waiting?.reject(new Error(error));
    });
    const lost = (why: string) => {
      if (this.worker === null) return;
      this.worker = null;
      log(`run history: its writer thread ${why}; writing on the main connection from now on`);
      for (const waiting of this.pending.values()) waiting.reject(new Error(`the run history writer thread ${why}`));
      this.pending.clear();
    };
    this.worker.on('error', (error) => lost(`failed: ${error.message}`));
    this.worker.on('exit', (code) => lost(`exited with code ${code}`));
  }

  write(rows: RunsTable[]): Promise<void> {
    const worker = this.worker;
    if (worker === null) return this.fallback.write(rows);
    const id = this.nextId++;
    if (this.pending.size === 0) worker.ref();
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ id, rows });
    });
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    if (worker) await worker.terminate();
  }
}
