import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, pythonGraph, startTestServer, type TestServer } from './harness.ts';
import { makeDemoWheel, servePackageIndex, tempDir, type PackageIndex } from './packageIndex.ts';

// A node's requirements are installed when a version is published (or a draft is tested), and
// its code imports them in the sandbox; what cannot be installed fails the publish, saying why.
let index: PackageIndex;
let s: TestServer;

beforeAll(async () => {
  const dir = tempDir('wheels');
  makeDemoWheel(dir);
  index = await servePackageIndex(dir);
  s = await startTestServer({ PLINTH_PIP_INDEX_URL: index.url });
});
afterAll(async () => {
  await s.close();
  await index.close();
});

const USES_IT = 'import plinth_demo_pkg\n\ndef process(data, ctx):\n    return plinth_demo_pkg.greet(data["name"])\n';

describe('requirements through the API', () => {
  it('installs at publish, and the published node imports the package in its sandbox', async () => {
    await s.request('POST', '/api/v1/graphs', {
      body: pythonGraph('greets', USES_IT, { requirements: ['plinth-demo-pkg==1.0'] }),
    });
    const published = await s.request('POST', '/api/v1/graphs/greets/versions');
    expect(published.status).toBe(201);
    const before = s.environments.builds;
    const res = await s.request('POST', '/api/v1/graphs/greets/invoke', { body: { name: 'ada' } });
    expect(await json(res)).toBe('hello ada');
    // The venv was built at publish: the invoke built nothing.
    expect(s.environments.builds).toBe(before);
  });

  it('runs a draft test with its requirements too', async () => {
    const res = await s.request('POST', '/api/v1/graphs/greets/test', { body: { input: { name: 'bo' } } });
    expect((await json(res)).output).toBe('hello bo');
  });

  it('fails the publish with pip’s own message and the node, and publishes nothing', async () => {
    await s.request('POST', '/api/v1/graphs', {
      body: pythonGraph('wants-nothing-real', USES_IT, { requirements: ['plinth-no-such-pkg==9.9'] }),
    });
    const res = await s.request('POST', '/api/v1/graphs/wants-nothing-real/versions');
    expect(res.status).toBe(422);
    const { error } = await json(res);
    expect(error.code).toBe('requirements_failed');
    expect(error.message).toContain("node 'step'");
    expect(error.message).toContain('plinth-no-such-pkg==9.9');
    expect(error.message).toMatch(/No matching distribution|Could not find a version/);
    expect(await json(await s.request('GET', '/api/v1/graphs/wants-nothing-real/versions'))).toEqual([]);
  });

  it('keeps a node without requirements out of the venv: it cannot import the package', async () => {
    await s.request('POST', '/api/v1/graphs', { body: pythonGraph('no-reqs', USES_IT) });
    const res = await s.request('POST', '/api/v1/graphs/no-reqs/test', { body: { input: { name: 'x' } } });
    expect((await json(res)).error).toMatchObject({ type: 'ModuleNotFoundError' });
  });
});
