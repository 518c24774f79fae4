import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, pythonGraph, startTestServer, type TestServer } from './harness.ts';

// A PostgreSQL of the test's own (initdb in a temp dir, its own port), so it can be restarted
// without disturbing anything else. Needs root (to run it as the postgres user) and Debian's binaries.
const PG_BIN = existsSync('/usr/lib/postgresql')
  ? readdirSync('/usr/lib/postgresql')
      .map((v) => `/usr/lib/postgresql/${v}/bin`)
      .find((dir) => existsSync(`${dir}/initdb`))
  : undefined;
const CAN_RUN = PG_BIN !== undefined && process.getuid?.() === 0;

let dir = '';
let port = 0;
let s: TestServer;

const asPostgres = (command: string, ...args: string[]) =>
  execFileSync('runuser', ['-u', 'postgres', '--', `${PG_BIN}/${command}`, ...args], {
    stdio: 'pipe',
    timeout: 60_000,
  });
const pgCtl = (action: 'start' | 'stop') =>
  asPostgres(
    'pg_ctl',
    '-D',
    `${dir}/data`,
    '-l',
    `${dir}/log`,
    '-w',
    ...(action === 'start' ? ['-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1`] : ['-m', 'fast']),
    action,
  );

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port: free } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return free;
}

beforeAll(async () => {
  if (!CAN_RUN) return;
  dir = mkdtempSync(path.join(tmpdir(), 'plinth-pg-'));
  chmodSync(dir, 0o777);
  port = await freePort();
  asPostgres('initdb', '-D', `${dir}/data`, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-instructions');
  pgCtl('start');
  s = await startTestServer({ DATABASE_URL: `postgres://postgres@127.0.0.1:${port}/postgres` });
  await s.request('POST', '/api/v1/graphs', {
    body: pythonGraph('steady', 'def process(data, ctx):\n    return data\n'),
  });
  await s.request('POST', '/api/v1/graphs/steady/versions');
}, 120_000);

afterAll(async () => {
  if (!CAN_RUN) return;
  await s?.close();
  try {
    pgCtl('stop');
  } catch {
    // already stopped
  }
  rmSync(dir, { recursive: true, force: true });
});

/** Six loops of admin reads and writes, as the finding had it, for `ms`; every status seen. */
async function underLoad(ms: number, during: () => Promise<void>): Promise<number[]> {
  const statuses: number[] = [];
  const until = Date.now() + ms;
  const loop = async (i: number) => {
    for (let n = 0; Date.now() < until && n < 2000; n++) {
      const doc = pythonGraph(`loop-${i}`, `def process(data, ctx):\n    return ${n}\n`);
      const put = await s.request('PUT', `/api/v1/graphs/loop-${i}`, { body: doc }).catch(() => null);
      const get = await s.request('GET', `/api/v1/graphs/loop-${i}`).catch(() => null);
      for (const res of [put, get]) {
        if (res) {
          statuses.push(res.status);
          if (res.status === 503) expect(res.headers.get('retry-after')).toBe('2');
          await res.body?.cancel();
        }
      }
    }
  };
  await Promise.all([...Array.from({ length: 6 }, (_, i) => loop(i)), during()]);
  return statuses;
}

async function recovered(): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const res = await s.request('GET', '/api/v1/graphs');
    if (res.status === 200) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the server did not reach the database again within 10 s');
}

describe.skipIf(!CAN_RUN)('a PostgreSQL outage', () => {
  beforeAll(async () => {
    for (let i = 0; i < 6; i++) {
      await s.request('POST', '/api/v1/graphs', {
        body: pythonGraph(`loop-${i}`, 'def process(data, ctx):\n    return 0\n'),
      });
    }
  });

  it('survives terminated backends under load: 503 with Retry-After meanwhile, then serves by itself', async () => {
    const admin = new pg.Client({ connectionString: `postgres://postgres@127.0.0.1:${port}/postgres` });
    await admin.connect();
    const statuses = await underLoad(3000, async () => {
      for (let i = 0; i < 3; i++) {
        await new Promise((r) => setTimeout(r, 600));
        await admin.query(
          "select pg_terminate_backend(pid) from pg_stat_activity where datname = 'postgres' and pid <> pg_backend_pid()",
        );
      }
    });
    await admin.end();
    expect(new Set(statuses.filter((st) => st !== 200 && st !== 503))).toEqual(new Set());
    await recovered();
    expect((await s.request('GET', '/healthz')).status).toBe(200);
    expect(await json(await s.request('POST', '/api/v1/graphs/steady/invoke', { body: { ok: 1 } }))).toEqual({ ok: 1 });
  });

  it('survives a PostgreSQL restart under load and reconnects by itself', async () => {
    const statuses = await underLoad(4000, async () => {
      await new Promise((r) => setTimeout(r, 500));
      pgCtl('stop');
      await new Promise((r) => setTimeout(r, 1500));
      pgCtl('start');
    });
    expect(statuses).toContain(503);
    expect(new Set(statuses.filter((st) => st !== 200 && st !== 503))).toEqual(new Set());
    await recovered();
    // Published graphs kept answering from memory all along; the history catches up.
    expect(await json(await s.request('POST', '/api/v1/graphs/steady/invoke', { body: { ok: 2 } }))).toEqual({ ok: 2 });
    const draft = await json(await s.request('GET', '/api/v1/graphs/loop-0'));
    expect(draft.revision).toBeGreaterThan(1);
  });
});
