import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PlinthError, type RunTrace } from '@plinth/shared';
import { ensureSampleGraph } from '../src/bootstrap.ts';
import { openDatabase, type OpenedDatabase } from '../src/db/database.ts';
import type { RunRequest, Runtime } from '../src/runtime/types.ts';
import { DeploymentEvents } from '../src/events.ts';
import { SecretBox } from '../src/services/secretBox.ts';
import { createServices, type Services } from '../src/services/index.ts';
import { pythonGraph } from './harness.ts';

// Persistence is the subject here, so the runtime is a tiny echo that records calls;
// the sandboxed runtime itself is exercised by the HTTP suites.
class EchoRuntime implements Runtime {
  readonly sandbox = 'none' as const;
  readonly runs: RunRequest[] = [];
  readonly warmed: string[] = [];
  readonly retired: string[] = [];
  private readonly pools = new Set<string>();
  async run(request: RunRequest): Promise<RunTrace> {
    this.runs.push(request);
    this.pools.add(request.poolKey);
    return {
      runId: 'r',
      output: { graph: request.graph.name, version: request.version, input: request.input },
      error: null,
      nodes: {},
      durationMs: 0,
    };
  }
  async prepare(): Promise<void> {}
  needsStart(): boolean {
    return false;
  }
  keepWarm(): void {}
  async warm(poolKey: string): Promise<void> {
    this.warmed.push(poolKey);
    this.pools.add(poolKey);
  }
  async retire(matches: (poolKey: string) => boolean): Promise<void> {
    for (const key of [...this.pools].filter(matches)) {
      this.pools.delete(key);
      this.retired.push(key);
    }
  }
  async close(): Promise<void> {}
  stats() {
    return { pools: this.pools.size, workers: 0, busyWorkers: 0, queued: 0, spawned: 0 };
  }
}

const RUN_HISTORY = { enabled: true, maxQueue: 100, maxPayloadBytes: 1024, retentionDays: 7, maxCount: 1000 };

function servicesOn(opened: OpenedDatabase, runtime: Runtime): Services {
  const log = () => {};
  const secretBox = SecretBox.fromSettings({ PLINTH_SECRET_KEY: 'ab'.repeat(32) }, '/nonexistent');
  return createServices({
    ...opened,
    runtime,
    log,
    events: new DeploymentEvents(log),
    runHistory: RUN_HISTORY,
    startLimits: { perGraph: 100, perKey: 100 },
    secretBox,
  });
}

const DIALECTS: [string, () => Promise<{ opened: OpenedDatabase; cleanup: () => Promise<void> }>][] = [
  [
    'SQLite',
    async () => {
      const dir = mkdtempSync(path.join(tmpdir(), 'plinth-db-'));
      const opened = await openDatabase(`sqlite:${path.join(dir, 'test.db')}`);
      return { opened, cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
    },
  ],
];
const PG_URL = process.env.TEST_DATABASE_URL;
if (PG_URL) {
  DIALECTS.push([
    'PostgreSQL',
    async () => {
      const schema = `plinth_test_${process.pid}_${Date.now()}`;
      const opened = await openDatabase(PG_URL, { pgSchema: schema });
      return {
        opened,
        cleanup: async () => {
          const client = new pg.Client({ connectionString: PG_URL });
          await client.connect();
          await client.query(`DROP SCHEMA ${schema} CASCADE`);
          await client.end();
        },
      };
    },
  ]);
}

describe.each(DIALECTS)('persistence on %s', (_label, open) => {
  let opened: OpenedDatabase;
  let cleanup: () => Promise<void>;
  let services: Services;
  let runtime: EchoRuntime;

  beforeAll(async () => {
    ({ opened, cleanup } = await open());
    runtime = new EchoRuntime();
    services = servicesOn(opened, runtime);
  });
  afterAll(async () => {
    await opened?.db.destroy();
    await cleanup?.();
  });

  const code = (n: number) => `def process(data, ctx):\n    return ${n}\n`;

  it('gives concurrent publishes distinct, consecutive version numbers', async () => {
    await services.graphs.create(pythonGraph('busy', code(0)));
    const results = await Promise.all(Array.from({ length: 12 }, () => services.versions.publish('busy', false)));
    expect(results.map((r) => r.version).sort((a, b) => a - b)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    expect((await services.versions.list('busy')).map((v) => v.version)).toEqual(
      Array.from({ length: 12 }, (_, i) => i + 1),
    );
  });

  it('lets exactly one of several saves of the same revision win', async () => {
    await services.graphs.create(pythonGraph('race', code(0)));
    const outcomes = await Promise.allSettled(
      [1, 2, 3, 4].map((n) => services.graphs.update('race', pythonGraph('race', code(n)), 1)),
    );
    const won = outcomes.filter((o) => o.status === 'fulfilled');
    expect(won).toHaveLength(1);
    for (const lost of outcomes.filter((o) => o.status === 'rejected')) {
      expect(lost.reason).toBeInstanceOf(PlinthError);
      expect((lost.reason as PlinthError).code).toBe('revision_mismatch');
    }
    expect((await services.graphs.get('race')).revision).toBe(2);
  });

  it('keeps versions immutable and serves the live one from memory after publish and promote', async () => {
    await services.graphs.create(pythonGraph('served', code(1)));
    await services.versions.publish('served');
    await services.graphs.update('served', pythonGraph('served', code(2)));
    expect((await services.invoke.invoke('served', { a: 1 })).version).toBe(1);
    await services.versions.publish('served');
    expect((await services.invoke.invoke('served', { a: 1 })).version).toBe(2);
    await services.versions.promote('served', 1);
    const rolledBack = await services.invoke.invoke('served', { a: 1 });
    expect(rolledBack.version).toBe(1);
    expect(runtime.runs.at(-1)!.graph.nodes[1]).toMatchObject({ code: code(1) });
    expect(runtime.runs.at(-1)!.poolKey).toBe('served@v1');
    expect(runtime.warmed).toEqual(expect.arrayContaining(['served@v1', 'served@v2']));
    expect((await services.versions.get('served', 2)).document.nodes[1]).toMatchObject({ code: code(2) });
  });

  it('tests the draft in a pool per revision and retires the previous one', async () => {
    await services.graphs.create(pythonGraph('drafts', code(1)));
    await services.invoke.test('drafts', {});
    await services.graphs.update('drafts', pythonGraph('drafts', code(2)));
    await services.invoke.test('drafts', {});
    expect(runtime.runs.slice(-2).map((r) => r.poolKey)).toEqual(['drafts#draft@1', 'drafts#draft@2']);
    expect(runtime.retired).toContain('drafts#draft@1');
  });

  it('renames a graph with its versions and keeps scoped keys working', async () => {
    await services.graphs.create(pythonGraph('old-name', code(1)));
    await services.versions.publish('old-name');
    const { key } = await services.keys.create('scoped', ['old-name']);
    await services.keys.authorize(key, 'old-name');
    await services.graphs.update('old-name', pythonGraph('new-name', code(1)));
    await expect(services.invoke.invoke('old-name', {})).rejects.toMatchObject({ code: 'not_found' });
    expect((await services.invoke.invoke('new-name', {})).version).toBe(1);
    await services.keys.authorize(key, 'new-name');
    await expect(services.keys.authorize(key, 'old-name')).rejects.toMatchObject({ code: 'forbidden' });
  });

  it('deletes a graph with its versions, and its name can be reused from version 1', async () => {
    await services.graphs.create(pythonGraph('doomed', code(1)));
    await services.versions.publish('doomed');
    await services.invoke.invoke('doomed', {});
    await services.graphs.delete('doomed');
    await expect(services.invoke.invoke('doomed', {})).rejects.toMatchObject({ code: 'not_found' });
    await services.graphs.create(pythonGraph('doomed', code(2)));
    expect(await services.versions.publish('doomed')).toMatchObject({ version: 1 });
  });

  it('creates the sample graph once, and not again after it was deleted', async () => {
    const fresh = await open();
    try {
      const s = servicesOn(fresh.opened, new EchoRuntime());
      await ensureSampleGraph(fresh.opened.db, s, () => {});
      expect((await s.graphs.list()).map((g) => g.name)).toEqual(['payment-scoring']);
      await s.graphs.delete('payment-scoring');
      await ensureSampleGraph(fresh.opened.db, s, () => {});
      expect(await s.graphs.list()).toEqual([]);
    } finally {
      await fresh.opened.db.destroy();
      await fresh.cleanup();
    }
  });

  it('stores keys as sha256 hashes only', async () => {
    const { key, id } = await services.keys.create('hashed');
    const row = await opened.db.selectFrom('api_keys').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(JSON.stringify(row)).not.toContain(key.slice(4));
    expect(row.key_hash).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('PostgreSQL', () => {
  it.skipIf(!PG_URL)('is reachable at TEST_DATABASE_URL', async () => {
    const client = new pg.Client({ connectionString: PG_URL });
    await client.connect();
    await client.end();
  });
});
