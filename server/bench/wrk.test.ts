import { execFileSync } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseWrk, runWrk, writeScript } from './wrk.ts';

const HAS_WRK = (() => {
  try {
    execFileSync('sh', ['-c', 'command -v wrk'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

// A real wrk against a real HTTP server: the script must send what the benchmark means to send.
// wrk (Debian package wrk) is only needed by `npm run bench`; without it these two are skipped.
describe.skipIf(!HAS_WRK)('wrk driver against a real HTTP server', () => {
  const seen: { method: string; auth: string | undefined; type: string | undefined; body: string }[] = [];
  let server: Server;
  let url: string;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'plinth-wrk-test-'));
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        if (seen.length < 50)
          seen.push({ method: req.method!, auth: req.headers.authorization, type: req.headers['content-type'], body });
        res.writeHead(body.includes('"fail"') ? 500 : 200, { 'content-type': 'application/json' }).end('{"ok":true}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/invoke`;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  it('POSTs every body in turn with the key, and reads throughput and percentiles', async () => {
    const bodies = ['{"amount": 1}', '{"amount": 2, "note": "quotes \\" and ]] brackets"}'];
    const script = writeScript(dir, 'ok', { url, apiKey: 'plk_secret', bodies });
    const result = await runWrk(script, url, 2, 1);

    expect(result.requests).toBeGreaterThan(10);
    expect(result.rps).toBeGreaterThan(10);
    expect(result.non2xx).toBe(0);
    expect(result.p50_ms).toBeGreaterThan(0);
    expect(result.p99_ms).toBeGreaterThanOrEqual(result.p50_ms);
    expect(new Set(seen.map((r) => r.body))).toEqual(new Set(bodies));
    expect(
      seen.every((r) => r.method === 'POST' && r.auth === 'Bearer plk_secret' && r.type === 'application/json'),
    ).toBe(true);
  });

  it('counts answers that are not 2xx', async () => {
    const script = writeScript(dir, 'fail', { url, apiKey: 'k', bodies: ['{"fail": true}'] });
    const result = await runWrk(script, url, 1, 1);
    expect(result.non2xx).toBe(result.requests);
  });
});

describe('wrk report parsing', () => {
  it('converts every latency unit wrk prints to milliseconds', () => {
    const report = [
      'Running 10s test @ http://127.0.0.1:1/invoke',
      '  Latency Distribution',
      '     50%  850.00us',
      '     75%    1.20ms',
      '     90%    3.00ms',
      '     99%    1.50s',
      '  1234 requests in 10.00s, 1.00MB read',
      'Requests/sec:    123.40',
    ].join('\n');
    expect(parseWrk(report)).toMatchObject({ rps: 123.4, p50_ms: 0.85, p99_ms: 1500, requests: 1234, non2xx: 0 });
  });
});
