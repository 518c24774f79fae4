import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const SERVER_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/** Starts `src/main.ts` as `npm start` does and resolves once it printed its banner. */
function start(env: Record<string, string>): Promise<{ child: ChildProcess; stdout: () => string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: SERVER_DIR,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  return new Promise((resolve, reject) => {
    const timer = setInterval(() => {
      if (out.includes('Open the IDE')) {
        clearInterval(timer);
        resolve({ child, stdout: () => out });
      }
    }, 50);
    child.on('exit', (code) => {
      clearInterval(timer);
      reject(new Error(`server exited with ${code}: ${err}`));
    });
  });
}

const stopped = (child: ChildProcess) =>
  new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));

describe('starting the server (src/main.ts)', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'plinth-main-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('prints the IDE URL with its token, creates the sample graph once, and stops cleanly on SIGTERM', async () => {
    const port = await freePort();
    // The model zoo has a test of its own (zoo.test.ts); here it would only slow the restarts down.
    const env = {
      PLINTH_DATA_DIR: dataDir,
      PORT: String(port),
      PLINTH_CLIENT_DIR: path.join(dataDir, 'none'),
      PLINTH_MODEL_ZOO: '0',
    };
    const first = await start(env);
    const token = readFileSync(path.join(dataDir, 'admin-token'), 'utf8').trim();
    expect(first.stdout()).toContain(`http://127.0.0.1:${port}/?token=${token}`);
    expect(first.stdout()).toContain('bubblewrap');
    const headers = { Authorization: `Bearer ${token}` };
    const graphs = (await (await fetch(`http://127.0.0.1:${port}/api/v1/graphs`, { headers })).json()) as {
      name: string;
    }[];
    expect(graphs.map((g) => g.name)).toEqual(['payment-scoring']);
    expect(
      (await fetch(`http://127.0.0.1:${port}/api/v1/graphs/payment-scoring`, { method: 'DELETE', headers })).status,
    ).toBe(204);
    const exit = stopped(first.child);
    first.child.kill('SIGTERM');
    expect(await exit).toBe(0);

    // Same data dir: same token, and the deleted sample does not come back.
    const second = await start(env);
    try {
      expect(second.stdout()).toContain(`?token=${token}`);
      const after = (await (await fetch(`http://127.0.0.1:${port}/api/v1/graphs`, { headers })).json()) as unknown[];
      expect(after).toEqual([]);
    } finally {
      const done = stopped(second.child);
      second.child.kill('SIGTERM');
      await done;
    }
  });
});
