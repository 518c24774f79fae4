/**
 * `/api/v1/environments` over real HTTP: what a requirements list resolves to, and its wheels,
 * which the IDE's browser preview loads (pip in bubblewrap against an index on 127.0.0.1).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EnvironmentAnswer } from '@plinth/shared';
import { startTestServer, type TestServer } from './harness.ts';
import { makeDemoWheel, servePackageIndex, tempDir, type PackageIndex } from './packageIndex.ts';

let index: PackageIndex;
let server: TestServer;
let wheel: string;

beforeAll(async () => {
  const dir = tempDir('wheels');
  wheel = makeDemoWheel(dir);
  index = await servePackageIndex(dir);
  server = await startTestServer({ PLINTH_PIP_INDEX_URL: index.url });
});
afterAll(async () => {
  await server.close();
  await index.close();
});

describe('/api/v1/environments', () => {
  it('builds the venv of a list and says what it installed and which wheels a browser can load', async () => {
    const res = await server.request('POST', '/api/v1/environments', {
      body: { requirements: ['plinth-demo-pkg==1.0', '# for the demo'] },
    });
    expect(res.status).toBe(200);
    const answer = (await res.json()) as EnvironmentAnswer;
    expect(answer.requirements).toEqual(['plinth-demo-pkg==1.0']);
    expect(answer.installed).toContain('plinth-demo-pkg==1.0');
    expect(answer.wheels).toEqual([
      {
        name: 'plinth-demo-pkg',
        version: '1.0',
        file: 'plinth_demo_pkg-1.0-py3-none-any.whl',
        pure: true,
        url: `/api/v1/environments/${answer.key}/wheels/plinth_demo_pkg-1.0-py3-none-any.whl`,
      },
    ]);

    const download = await server.request('GET', answer.wheels[0]!.url);
    expect(download.status).toBe(200);
    const bytes = Buffer.from(await download.arrayBuffer());
    expect(sha256(bytes)).toBe(sha256(readFileSync(wheel)));
  });

  it('serves wheels to the admin only, and names what it does not have', async () => {
    const answer = (await (
      await server.request('POST', '/api/v1/environments', { body: { requirements: ['plinth-demo-pkg==1.0'] } })
    ).json()) as EnvironmentAnswer;
    expect((await server.request('GET', answer.wheels[0]!.url, { auth: false })).status).toBe(401);
    const missing = await server.request('GET', `/api/v1/environments/${answer.key}/wheels/other-1.0-py3-none-any.whl`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({
      error: { message: expect.stringContaining('other-1.0-py3-none-any.whl') },
    });
  });

  it("answers 422 requirements_failed with pip's words for a requirement that cannot be installed", async () => {
    const res = await server.request('POST', '/api/v1/environments', { body: { requirements: ['nosuchpkg==1.0'] } });
    expect(res.status).toBe(422);
    expect(await res.json()).toEqual({
      error: {
        code: 'requirements_failed',
        message: expect.stringMatching(
          /^requirement "nosuchpkg==1.0" could not be installed: .*ERROR: No matching distribution found for nosuchpkg==1.0/s,
        ) as unknown,
      },
    });
  });

  it('answers an empty environment for no requirements, and 400 for a body of the wrong shape', async () => {
    const empty = await server.request('POST', '/api/v1/environments', { body: { requirements: [] } });
    expect(await empty.json()).toEqual({ key: null, requirements: [], installed: [], wheels: [] });
    const wrong = await server.request('POST', '/api/v1/environments', { body: { requirements: 'numpy' } });
    expect(wrong.status).toBe(400);
  });
});

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}
