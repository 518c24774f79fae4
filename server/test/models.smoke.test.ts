import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ZOO_DIR } from '../src/zoo.ts';
import { json, startTestServer, type TestServer } from './harness.ts';
import { settled, upload } from './modelFixtures.ts';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(() => s?.close());

it('smoke', async () => {
  const res = await upload(s, path.join(ZOO_DIR, 'breast-cancer'));
  const body = await json(res);
  console.log(res.status, body);
  const info = await settled(s, 'breast-cancer', 1);
  console.log(info.status, info.buildLog, info.loadLog, info.error);
  const p = await s.request('POST', '/api/v1/models/breast-cancer/predict', { body: info.config.exampleInput });
  console.log(p.status, await p.text());
  console.log(s.logs.join('\n'));
}, 120_000);
