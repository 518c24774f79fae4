import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, pythonGraph, startTestServer, type TestServer } from './harness.ts';

// Secrets reach a graph only by name, never come back in what a run reports, and are sealed at rest.
const PASSWORD = 'hunter2-not-a-number-7f3e';
const OTHER = 'other-graphs-token-91ac';
let s: TestServer;

beforeAll(async () => {
  s = await startTestServer();
  await s.request('POST', '/api/v1/secrets', { body: { name: 'DB_PASSWORD', value: PASSWORD } });
  await s.request('POST', '/api/v1/secrets', { body: { name: 'OTHER_TOKEN', value: OTHER } });
});
afterAll(() => s?.close());

async function graphWithSecrets(name: string, code: string, secrets: string[]) {
  await s.request('POST', '/api/v1/graphs', { body: { ...pythonGraph(name, code), secrets } });
  await s.request('POST', `/api/v1/graphs/${name}/versions`);
}

describe('secrets', () => {
  it('reach a graph only when it declares them', async () => {
    await graphWithSecrets('declares-one', 'def process(data, ctx):\n    return sorted(ctx.secrets)\n', [
      'DB_PASSWORD',
    ]);
    const res = await s.request('POST', '/api/v1/graphs/declares-one/invoke', { body: {} });
    expect(await json(res)).toEqual(['DB_PASSWORD']);
    await graphWithSecrets('declares-none', 'def process(data, ctx):\n    return sorted(ctx.secrets)\n', []);
    expect(await json(await s.request('POST', '/api/v1/graphs/declares-none/invoke', { body: {} }))).toEqual([]);
  });

  it('are masked in the 422 message and traceback, in logs and in run history', async () => {
    await graphWithSecrets(
      'leaky',
      [
        'def process(data, ctx):',
        '    print("connecting with", ctx.secrets["DB_PASSWORD"])',
        '    return int(ctx.secrets["DB_PASSWORD"])',
      ].join('\n'),
      ['DB_PASSWORD'],
    );
    const res = await s.request('POST', '/api/v1/graphs/leaky/invoke', { body: {} });
    expect(res.status).toBe(422);
    const text = await res.text();
    expect(text).not.toContain(PASSWORD);
    const { error } = JSON.parse(text);
    expect(error.message).toBe('node "step": ValueError: invalid literal for int() with base 10: \'****\'');
    expect(error.traceback).toContain("'****'");

    const test = await s.request('POST', '/api/v1/graphs/leaky/test', { body: { input: {} } });
    const trace = await test.text();
    expect(trace).not.toContain(PASSWORD);
    expect(JSON.parse(trace).nodes.step.logs).toEqual([{ stream: 'stdout', text: 'connecting with ****' }]);

    const stored = await s.request('GET', `/api/v1/runs/${res.headers.get('plinth-run-id')}`);
    expect(await stored.text()).not.toContain(PASSWORD);
  });

  it("never put a worker's stderr into an answer: one caller's output cannot reach another", async () => {
    await graphWithSecrets(
      'crashes',
      ['import os', 'def process(data, ctx):', '    os.write(2, data["note"].encode())', '    os._exit(3)'].join('\n'),
      [],
    );
    const first = await s.request('POST', '/api/v1/graphs/crashes/invoke', {
      body: { note: 'first caller private note' },
    });
    const second = await s.request('POST', '/api/v1/graphs/crashes/invoke', { body: { note: 'second' } });
    for (const res of [first, second]) {
      expect(res.status).toBe(502);
      const body = await res.text();
      expect(body).toContain('exited with code 3');
      expect(body).not.toContain('private note');
    }
    // The operator still sees it, in the server's log.
    expect(s.logs.some((line) => line.includes('first caller private note'))).toBe(true);
  });

  it('refuses values too short to mask', async () => {
    const res = await s.request('POST', '/api/v1/secrets', { body: { name: 'PIN', value: '123' } });
    expect(res.status).toBe(400);
    expect((await json(res)).error.message).toContain('at least 4 characters');
  });
});

describe('secrets at rest', () => {
  /** Every byte of the SQLite database: the file, its write-ahead log and shared memory. */
  function databaseBytes(): Buffer {
    const dir = s.config.dataDir;
    return Buffer.concat(
      readdirSync(dir)
        .filter((f) => f.startsWith('plinth.db'))
        .map((f) => readFileSync(path.join(dir, f))),
    );
  }
  const sealedValue = async (name: string) =>
    (await s.db.selectFrom('secrets').select('value').where('name', '=', name).executeTakeFirstOrThrow()).value;

  it.skipIf(!!process.env.TEST_DATABASE_URL)(
    'are sealed with AES-256-GCM under a key kept outside the database',
    async () => {
      const keyFile = path.join(s.config.dataDir, 'secret-key');
      expect(statSync(keyFile).mode & 0o777).toBe(0o600);
      expect(await sealedValue('DB_PASSWORD')).toMatch(/^v1:[A-Za-z0-9+/=]+$/);
      expect(databaseBytes().includes(PASSWORD)).toBe(false);
      expect(databaseBytes().includes(readFileSync(keyFile, 'utf8').trim())).toBe(false);
    },
  );

  it.skipIf(!!process.env.TEST_DATABASE_URL)(
    'leave nothing of a rotated or deleted value in the database files',
    async () => {
      await s.request('POST', '/api/v1/secrets', { body: { name: 'ROTATED', value: 'first-value-aaaa' } });
      const first = await sealedValue('ROTATED');
      await s.request('PUT', '/api/v1/secrets/ROTATED', { body: { value: 'second-value-bbbb' } });
      const second = await sealedValue('ROTATED');
      expect(databaseBytes().includes(first)).toBe(false);
      await s.request('DELETE', '/api/v1/secrets/ROTATED');
      expect(databaseBytes().includes(second)).toBe(false);
      expect(databaseBytes().includes(first)).toBe(false);
    },
  );

  it('says at start when the key does not open the stored secrets', async () => {
    const other = await startTestServer({ PLINTH_SECRET_KEY: 'cd'.repeat(32) });
    try {
      await other.request('POST', '/api/v1/secrets', { body: { name: 'X', value: 'sealed-with-cd' } });
      await other.plinth.stop();
      const { createPlinth } = await import('../src/plinth.ts');
      await expect(
        createPlinth(other.config, {
          env: { ...process.env, PLINTH_SECRET_KEY: 'ef'.repeat(32) },
          sample: false,
          ...(other.pgSchema ? { pgSchema: other.pgSchema } : {}),
        }),
      ).rejects.toThrow(/sealed with another key/);
    } finally {
      await other.close();
    }
  });
});
