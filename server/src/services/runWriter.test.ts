import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../db/database.ts';
import type { RunsTable } from '../db/schema.ts';
import { SqliteThreadRowWriter } from './runWriter.ts';

const dirs: string[] = [];
const dbs: Db[] = [];
afterEach(async () => {
  await Promise.all(dbs.splice(0).map((db) => db.destroy()));
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function sqlite() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'plinth-runwriter-'));
  dirs.push(dir);
  const opened = await openDatabase(`sqlite:${path.join(dir, 'plinth.db')}`);
  dbs.push(opened.db);
  return opened;
}

const row = (id: string): RunsTable => ({
  id,
  graph_id: 'g1',
  graph: 'pay',
  version: 1,
  kind: 'invoke',
  status: 'ok',
  error_code: null,
  started_at: new Date().toISOString(),
  duration_ms: 1.5,
  record: JSON.stringify({ id, text: 'ünïcode' }),
});

const ids = async (db: Db) => (await db.selectFrom('runs').select('id').orderBy('id').execute()).map((r) => r.id);

describe('the run history writer thread (SQLite)', () => {
  it('writes rows on its own connection, visible to the server once written, in order', async () => {
    const { db, file } = await sqlite();
    expect(file).toBeDefined();
    const writer = new SqliteThreadRowWriter(file!, db, () => {});
    await writer.write([row('a'), row('b')]);
    await writer.write([row('c')]);
    expect(await ids(db)).toEqual(['a', 'b', 'c']);
    const stored = await db.selectFrom('runs').select('record').where('id', '=', 'a').executeTakeFirstOrThrow();
    expect(JSON.parse(stored.record)).toEqual({ id: 'a', text: 'ünïcode' });
    await writer.close();
  });

  it('rejects a batch the database refuses, and writes the next one', async () => {
    const { db, file } = await sqlite();
    const writer = new SqliteThreadRowWriter(file!, db, () => {});
    await writer.write([row('a')]);
    await expect(writer.write([row('b'), row('a')])).rejects.toThrow(/UNIQUE/);
    await writer.write([row('c')]);
    // A refused batch is one transaction: none of it was kept.
    expect(await ids(db)).toEqual(['a', 'c']);
    await writer.close();
  });

  it('says so in the log and writes on the main connection when the thread cannot open the file', async () => {
    const { db } = await sqlite();
    const logged: string[] = [];
    const writer = new SqliteThreadRowWriter('/nonexistent/dir/plinth.db', db, (m) => logged.push(m));
    await writer.write([row('a')]).catch(() => {}); // may be sent before the thread has failed
    await expect.poll(() => logged.join('\n')).toMatch(/run history: its writer thread .*main connection/);
    await writer.write([row('b')]);
    expect(await ids(db)).toContain('b');
    await writer.close();
  });
});
