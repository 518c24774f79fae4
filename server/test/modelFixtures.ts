import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buffer } from 'node:stream/consumers';
import { create } from 'tar';
import { json, type TestServer } from './harness.ts';

/** A model package folder made of `files` (path → text), in a fresh temp dir. */
export function writePackage(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'plinth-model-'));
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), text);
  }
  return dir;
}

/** A folder as .tar.gz bytes, paths relative to it (as `tar czf x.tgz -C dir .`). */
export async function tarGz(dir: string, entries: string[] = ['.']): Promise<Buffer> {
  return buffer(create({ gzip: true, cwd: dir, portable: true }, entries));
}

/** POST /api/v1/models with a package folder. */
export async function upload(s: TestServer, dir: string, query = ''): Promise<Response> {
  return fetch(`${s.url}/api/v1/models${query}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${s.token}`, 'Content-Type': 'application/gzip' },
    body: new Uint8Array(await tarGz(dir)),
  });
}

/** Polls a version until it is ready or failed (or `timeoutMs` passes) and returns it. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function settled(s: TestServer, name: string, version: number, timeoutMs = 90_000): Promise<any> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const info = await json(await s.request('GET', `/api/v1/models/${name}/versions/${version}`));
    if (info.status === 'ready' || info.status === 'failed' || Date.now() > deadline) return info;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** A minimal model.py whose predict is `body` (indented by the caller's text). */
export const CONFIG = (extra = '') => `model_name: test-model\n${extra}`;
