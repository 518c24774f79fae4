import { randomBytes } from 'node:crypto';
import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContextInner } from '../src/context.ts';
import { appRouter } from '../src/routers/_app.ts';
import { createCallerFactory } from '../src/trpc.ts';
import { startTestServer, type TestServer } from './harness.ts';
import { tarGz, writePackage } from './modelFixtures.ts';

let s: TestServer;
let admin: ReturnType<typeof createCaller>;
const createCaller = createCallerFactory(appRouter);

beforeAll(async () => {
  s = await startTestServer();
  admin = createCaller(createContextInner(s.plinth));
});
afterAll(() => s?.close());

/** The .tar.gz as the IDE's upload box sends it: a body stream. */
function body(bytes: Buffer): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      controller.enqueue(new Uint8Array(bytes));
      controller.close();
    },
  });
}

describe('models over tRPC, as the IDE calls them', () => {
  it('uploads a package, lists it with status and example input, shows its logs and previews predict', async () => {
    const archive = await tarGz(
      writePackage({
        'config.yaml': 'model_name: Shouty\nexample_input: {"text": "hi"}\n',
        'model/model.py':
          'class Model:\n    def load(self):\n        print("ready to shout")\n\n    def predict(self, model_input):\n        return {"text": model_input["text"].upper()}\n',
      }),
    );
    // Typed as the procedure's octet input; a web stream at run time.
    const created = await admin.models.upload(body(archive) as never);
    expect(created).toEqual({ name: 'shouty', version: 1, status: 'building' });
    let version = await admin.models.version({ name: 'shouty', version: 1 });
    for (let i = 0; i < 300 && (version.status === 'building' || version.status === 'loading'); i++) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      version = await admin.models.version({ name: 'shouty', version: 1 });
    }
    expect(version).toMatchObject({
      status: 'ready',
      live: true,
      loadLog: [{ stream: 'stdout', text: 'ready to shout' }],
    });
    expect(await admin.models.list()).toEqual([
      {
        name: 'shouty',
        liveVersion: 1,
        lastVersion: 1,
        status: 'ready',
        exampleInput: { text: 'hi' },
        description: null,
      },
    ]);
    expect((await admin.models.get({ name: 'shouty' })).versions).toHaveLength(1);
    expect(await admin.models.predict({ name: 'shouty', input: { text: 'hello' } })).toEqual({
      version: 1,
      output: { text: 'HELLO' },
    });
  });

  it('gives the IDE the problem list of a wrong package and a not-found model as errors it can show', async () => {
    const archive = await tarGz(writePackage({ 'config.yaml': 'model_name: nope\ncolour: red\n' }));
    const refused = await admin.models.upload(body(archive) as never).catch((e: unknown) => e as TRPCError);
    expect(refused).toBeInstanceOf(TRPCError);
    expect((refused as TRPCError).code).toBe('BAD_REQUEST');
    expect((refused as TRPCError).cause).toMatchObject({
      code: 'invalid_package',
      details: {
        problems: expect.arrayContaining([
          { path: 'config.yaml: colour', message: 'unknown key "colour"' },
          { path: 'model/model.py', message: expect.stringContaining('missing') },
        ]),
      },
    });
    const missing = await admin.models.get({ name: 'nope' }).catch((e: unknown) => e as TRPCError);
    expect((missing as TRPCError).code).toBe('NOT_FOUND');
  });

  it('takes the package over HTTP as the IDE sends it: an application/octet-stream body, problems in error.data.plinth', async () => {
    const post = (archive: Buffer) =>
      fetch(`${s.url}/trpc/models.upload`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${s.token}`, 'Content-Type': 'application/octet-stream' },
        body: new Uint8Array(archive),
      });
    const good = await post(
      await tarGz(
        writePackage({
          'config.yaml': 'model_name: over-http\n',
          'model/model.py': 'class Model:\n    def predict(self, model_input):\n        return model_input\n',
        }),
      ),
    );
    expect(good.status).toBe(200);
    expect(await good.json()).toEqual({ result: { data: { name: 'over-http', version: 1, status: 'building' } } });

    const bad = await post(await tarGz(writePackage({ 'config.yaml': 'model_name: over-http\ncolour: red\n' })));
    expect(bad.status).toBe(400);
    const body = (await bad.json()) as { error: { data: { plinth: { code: string; problems: unknown[] } } } };
    expect(body.error.data.plinth.code).toBe('invalid_package');
    expect(body.error.data.plinth.problems).toContainEqual({
      path: 'config.yaml: colour',
      message: 'unknown key "colour"',
    });
  });

  it('refuses a package over PLINTH_MAX_BODY_BYTES from the IDE with 413 naming the setting', async () => {
    const small = await startTestServer({ PLINTH_MAX_BODY_BYTES: '2000', PLINTH_MODEL_ZOO: '0' });
    try {
      const archive = await tarGz(
        writePackage({
          'config.yaml': 'model_name: big\n',
          'model/model.py': 'class Model:\n    def predict(self, model_input):\n        return 1\n',
          'data/noise.bin': randomBytes(20_000).toString('hex'),
        }),
      );
      const res = await fetch(`${small.url}/trpc/models.upload`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${small.token}`, 'Content-Type': 'application/octet-stream' },
        body: new Uint8Array(archive),
      });
      expect(res.status).toBe(413);
      const body = (await res.json()) as { error: { data: { plinth: { code: string; message: string } } } };
      expect(body.error.data.plinth).toMatchObject({
        code: 'payload_too_large',
        message: expect.stringContaining('PLINTH_MAX_BODY_BYTES'),
      });
    } finally {
      await small.close();
    }
  });
});
