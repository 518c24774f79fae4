// @vitest-environment node
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchWithProgress } from './fetchWithProgress.ts';

const WASM = new Uint8Array(300_000).map((_, i) => i % 251);
const ZIP = new Uint8Array(100_000).fill(7);

let server: Server;
let base: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    const body = req.url === '/pyodide/pyodide.asm.wasm' ? WASM : req.url === '/pyodide/python_stdlib.zip' ? ZIP : null;
    if (body === null) {
      res.statusCode = 404;
      res.end('missing');
      return;
    }
    res.setHeader('Content-Type', req.url?.endsWith('.wasm') ? 'application/wasm' : 'application/zip');
    res.setHeader('Content-Length', body.byteLength);
    // In several writes, so progress arrives in steps.
    for (let i = 0; i < body.byteLength; i += 50_000) res.write(body.subarray(i, i + 50_000));
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

describe('fetchWithProgress', () => {
  it('reports bytes against the summed Content-Length and returns the bodies with their headers', async () => {
    const urls = [`${base}/pyodide/pyodide.asm.wasm`, `${base}/pyodide/python_stdlib.zip`];
    const reports: [number, number | null][] = [];
    const files = await fetchWithProgress(urls, (loaded, total) => reports.push([loaded, total]));

    expect(reports.length).toBeGreaterThan(2);
    expect(reports.every(([, total]) => total === 400_000)).toBe(true);
    const loaded = reports.map(([n]) => n);
    expect(loaded).toEqual([...loaded].sort((a, b) => a - b));
    // Never claims to be done before Pyodide has started.
    expect(Math.max(...loaded)).toBeLessThanOrEqual(400_000 * 0.99);

    const wasm = files.get(urls[0] ?? '');
    expect(wasm?.headers.get('Content-Type')).toBe('application/wasm');
    expect(Buffer.from((await wasm?.arrayBuffer()) ?? new ArrayBuffer(0)).equals(Buffer.from(WASM))).toBe(true);
    expect((await files.get(urls[1] ?? '')?.arrayBuffer())?.byteLength).toBe(100_000);
  });

  it('names the file that failed to download', async () => {
    await expect(fetchWithProgress([`${base}/pyodide/nope.wasm`], () => undefined)).rejects.toThrow(
      /nope\.wasm answered 404/,
    );
  });
});
