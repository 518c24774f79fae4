import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContextInner } from '../src/context.ts';
import { SERVER_VERSION } from '../src/version.ts';
import { appRouter } from '../src/routers/_app.ts';
import { createCallerFactory } from '../src/trpc.ts';
import { deployZooModel } from '../src/zoo.ts';
import { json, pythonGraph, startTestServer, type TestServer } from './harness.ts';

/** Polls a model version through tRPC until it is ready or failed. */
async function waitUntilSettled(caller: ReturnType<typeof createCaller>, name: string, version: number) {
  for (let i = 0; i < 600; i++) {
    const info = await caller.models.version({ name, version });
    if (info.status === 'ready' || info.status === 'failed') return info;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`model ${name} v${version} did not settle`);
}

let s: TestServer;
let admin: ReturnType<typeof createCaller>;
const createCaller = createCallerFactory(appRouter);

beforeAll(async () => {
  s = await startTestServer();
  admin = createCaller(createContextInner(s.plinth));
});
afterAll(() => s?.close());

async function rejection(promise: Promise<unknown>): Promise<TRPCError> {
  try {
    await promise;
  } catch (error) {
    return error as TRPCError;
  }
  throw new Error('expected the call to fail');
}

describe('tRPC procedures the IDE calls', () => {
  it('creates from a template, saves with revisions, duplicates, tests, publishes and promotes', async () => {
    const templates = await admin.graphs.templates();
    expect(templates.map((t) => t.id)).toEqual([
      'empty',
      'payment-scoring',
      'breast-cancer-triage',
      'digit-reader',
      'iris-sorter',
    ]);
    // The sample graph's score is a real model node: the zoo's payment-risk model.
    const { version: riskVersion } = await deployZooModel(s.plinth.models.service, 'payment-risk');
    expect((await waitUntilSettled(admin, 'payment-risk', riskVersion)).status).toBe('ready');
    const sample = templates.find((t) => t.id === 'payment-scoring')!.document;

    expect(await admin.graphs.create({ document: sample })).toEqual({ name: 'payment-scoring', revision: 1 });
    const { document, revision } = await admin.graphs.get({ name: 'payment-scoring' });
    expect(revision).toBe(1);
    const edited = { ...document, description: 'edited' };
    expect(await admin.graphs.update({ name: 'payment-scoring', document: edited, revision: 1 })).toMatchObject({
      revision: 2,
    });

    const stale = await rejection(admin.graphs.update({ name: 'payment-scoring', document, revision: 1 }));
    expect(stale.code).toBe('PRECONDITION_FAILED');
    expect(stale.cause).toMatchObject({ code: 'revision_mismatch', details: { currentRevision: 2 } });

    expect(await admin.graphs.duplicate({ name: 'payment-scoring', newName: 'payment-copy' })).toEqual({
      name: 'payment-copy',
      revision: 1,
    });
    const list = await admin.graphs.list();
    expect(list.map((g) => g.name)).toEqual(['payment-copy', 'payment-scoring']);
    expect(list[1]).toMatchObject({ description: 'edited', revision: 2, liveVersion: null, versionCount: 0 });

    // The sample graph routes a large payment from a new customer in a risky country to review.
    const trace = await admin.graphs.test({
      name: 'payment-scoring',
      input: { amount: 50000, country: 'XX', customer_age_days: 3 },
    });
    expect(trace.error).toBeNull();
    expect(trace.output).toMatchObject({
      decision: 'review',
      reasons: ['new_customer', 'risky_country', 'large_amount'],
    });
    expect(trace.nodes.approve!.status).toBe('skipped');
    expect(trace.nodes.decide).toMatchObject({ status: 'ok', branch: 'review' });
    const small = await admin.graphs.test({
      name: 'payment-scoring',
      input: { amount: 20, country: 'DE', customer_age_days: 400 },
    });
    expect(small.output).toMatchObject({ decision: 'approve' });

    expect(await admin.versions.publish({ name: 'payment-scoring' })).toMatchObject({ version: 1 });
    expect(await admin.versions.publish({ name: 'payment-scoring', promote: false })).toMatchObject({ version: 2 });
    expect(await admin.versions.list({ name: 'payment-scoring' })).toEqual([
      { version: 1, createdAt: expect.any(String), live: true, models: { 'payment-risk': riskVersion }, note: null },
      { version: 2, createdAt: expect.any(String), live: false, models: { 'payment-risk': riskVersion }, note: null },
    ]);
    await admin.versions.promote({ name: 'payment-scoring', version: 2 });
    expect((await admin.versions.list({ name: 'payment-scoring' })).find((v) => v.live)?.version).toBe(2);
    const v1 = await admin.versions.get({ name: 'payment-scoring', version: 1 });
    expect(v1.document.description).toBe('edited');

    await admin.graphs.delete({ name: 'payment-copy' });
    expect((await rejection(admin.graphs.get({ name: 'payment-copy' }))).code).toBe('NOT_FOUND');
  });

  it('manages keys: the key is returned once, listed without it', async () => {
    const created = await admin.keys.create({ name: 'ci', graphs: ['payment-scoring'] });
    expect(created.key).toMatch(/^plk_/);
    const listed = await admin.keys.list();
    expect(listed).toContainEqual({
      id: created.id,
      name: 'ci',
      graphs: ['payment-scoring'],
      createdAt: expect.any(String),
    });
    expect(JSON.stringify(listed)).not.toContain(created.key);
    await admin.keys.delete({ id: created.id });
    expect(await admin.keys.list()).toEqual([]);
  });

  it('reports system info and refuses callers without the admin token', async () => {
    expect(await admin.system.info()).toEqual({
      sandbox: s.runtime.sandbox,
      version: SERVER_VERSION,
      publicUrl: s.url,
    });
    expect(await admin.system.whoami()).toEqual({ admin: true });
    const anonymous = createCaller(createContextInner(s.plinth, { kind: 'anonymous' }));
    expect(await anonymous.system.ping()).toEqual({ ok: true });
    expect((await rejection(anonymous.graphs.list())).code).toBe('UNAUTHORIZED');
    const wrong = createCaller(createContextInner(s.plinth, { kind: 'bearer', token: 'nope' }));
    expect((await rejection(wrong.system.whoami())).code).toBe('FORBIDDEN');
  });

  it('sends the PlinthError body to the client over HTTP in error.data.plinth', async () => {
    const bad = { format: 'plinth.graph/v1', name: 'x', nodes: [], edges: [] };
    const res = await fetch(`${s.url}/trpc/graphs.create`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${s.token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ document: bad }),
    });
    expect(res.status).toBe(400);
    const body = await json(res);
    expect(body.error.data.plinth.code).toBe('invalid_document');
    expect(body.error.data.plinth.problems.length).toBeGreaterThanOrEqual(2);
    expect(body.error.data.stack).toBeUndefined();

    const failing = pythonGraph('trpc-fail', 'def process(data, ctx):\n    raise ValueError("nope")\n');
    await admin.graphs.create({ document: failing });
    const trace = await admin.graphs.test({ name: 'trpc-fail', input: {} });
    expect(trace.error).toMatchObject({ nodeId: 'step', code: 'node_failed', type: 'ValueError', line: 2 });

    const anonymous = await fetch(`${s.url}/trpc/graphs.list`);
    expect(anonymous.status).toBe(401);
    expect((await json(anonymous)).error.data.plinth.code).toBe('unauthorized');
    const ping = await fetch(`${s.url}/trpc/system.ping`);
    expect((await json(ping)).result.data).toEqual({ ok: true });
  });
});
