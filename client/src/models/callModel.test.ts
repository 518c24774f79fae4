// @vitest-environment node
/**
 * The IDE's side of models against a real Plinth server (real sandbox, real SQLite): a folder packed
 * as the upload box packs it and sent through the IDE's own tRPC client, then model nodes called the
 * way a browser test run calls them, with the node error codes a server run gives.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ModelNode } from '@plinth/shared';
import { createPlinthClient, type PlinthClient } from '../api/trpc.ts';
import { plinthError } from '../api/errors.ts';
import { modelCallerFor } from './callModel.ts';
import { packFolder } from './packModel.ts';
import { startServerProcess, type ServerProcess } from '../testing/serverProcess.ts';

const TOKEN = 'models-ide-admin-token-0123456789';
let server: ServerProcess | undefined;
let client: PlinthClient;

beforeAll(async () => {
  server = await startServerProcess(TOKEN, 'ide-models');
  client = createPlinthClient(() => TOKEN, server.url);
}, 60_000);

afterAll(() => server?.stop());

const text = (s: string) => new TextEncoder().encode(s);

const MODEL_PY = `
class Model:
    def load(self):
        print("echo ready")

    def predict(self, model_input):
        if model_input.get("boom"):
            raise ValueError("boom requested")
        return {"echo": model_input}
`;

async function upload(files: Record<string, string>) {
  const packed = await packFolder(Object.entries(files).map(([p, s]) => ({ path: `echo/${p}`, data: text(s) })));
  if (!packed.ok) throw new Error(packed.problems.join('\n'));
  return client.models.upload.mutate(new Blob([packed.archive as BlobPart], { type: 'application/octet-stream' }));
}

async function untilSettled(name: string, version: number) {
  for (let i = 0; i < 300; i++) {
    const v = await client.models.version.query({ name, version });
    if (v.status === 'ready' || v.status === 'failed') return v;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${name} v${version} did not settle`);
}

const node = (model: string, modelVersion: number | null = null): ModelNode => ({
  id: 'score',
  type: 'model',
  model,
  modelVersion,
  timeoutMs: 5_000,
  position: { x: 0, y: 0 },
});

describe('models from the IDE, against a real server', () => {
  it('uploads a folder packed in the browser through tRPC and calls it as a model node', async () => {
    expect(await upload({ 'config.yaml': 'model_name: echo\n', 'model/model.py': MODEL_PY })).toEqual({
      name: 'echo',
      version: 1,
      status: 'building',
    });
    expect(await untilSettled('echo', 1)).toMatchObject({ status: 'ready', loadLog: [{ text: 'echo ready' }] });
    const call = modelCallerFor(client);
    expect(await call(node('echo'), { x: 1 })).toEqual({ ok: true, output: { echo: { x: 1 } }, logs: [] });
    expect(await call(node('echo', 1), { x: 2 })).toEqual({ ok: true, output: { echo: { x: 2 } }, logs: [] });
  }, 60_000);

  it('gives the node errors a server run gives: a raising predict, a missing model or version, no model', async () => {
    const call = modelCallerFor(client);
    const raised = await call(node('echo'), { boom: true });
    expect(raised).toMatchObject({
      ok: false,
      error: {
        code: 'node_failed',
        message: expect.stringContaining(`node 'score' (model "echo")`),
        type: 'ValueError',
      },
    });
    if (!raised.ok) expect(raised.error.traceback).toContain('boom requested');
    expect(await call(node('nope'), {})).toMatchObject({
      ok: false,
      error: { code: 'model_unavailable', message: expect.stringContaining('there is no model "nope"') },
    });
    expect(await call(node('echo', 9), {})).toMatchObject({ ok: false, error: { code: 'model_unavailable' } });
    expect(await call(node(''), {})).toMatchObject({
      ok: false,
      error: { code: 'model_unavailable', message: expect.stringContaining('choose a deployed model in its panel') },
    });
  }, 30_000);

  it('takes a folder whose tar fills its last 10 KiB record exactly', async () => {
    // 3 headers + config.yaml, model.py (one block each) + 15 blocks of data = 20 blocks = 10240 bytes.
    const created = await upload({
      'config.yaml': 'model_name: echo\n',
      'model/model.py': MODEL_PY,
      'data/blob.txt': 'x'.repeat(15 * 512),
    });
    expect(created).toEqual({ name: 'echo', version: 2, status: 'building' });
    expect(await untilSettled('echo', 2)).toMatchObject({ status: 'ready' });
  }, 60_000);

  it('refuses a wrong folder with every problem listed, as the upload box shows them', async () => {
    const refused = await upload({ 'config.yaml': 'model_name: echo\ncolour: red\n' }).catch((e: unknown) => e);
    expect(plinthError(refused)).toMatchObject({
      code: 'invalid_package',
      problems: expect.arrayContaining([{ path: 'config.yaml: colour', message: 'unknown key "colour"' }]),
    });
  });
});
