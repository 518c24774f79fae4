import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));

export interface ServerProcess {
  url: string;
  stop(): void;
}

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/**
 * A real Plinth server in a process of its own (`server/src/main.ts`), on a free port and a fresh data
 * dir, with `token` as its admin token and no model zoo; resolves once `/healthz` answers.
 */
export async function startServerProcess(token: string, name: string): Promise<ServerProcess> {
  const dataDir = mkdtempSync(path.join(tmpdir(), `plinth-${name}-`));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const server = spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: String(port),
      PLINTH_DATA_DIR: dataDir,
      PLINTH_ADMIN_TOKEN: token,
      PLINTH_MODEL_ZOO: '0',
      PLINTH_CLIENT_DIR: path.join(dataDir, 'none'),
    },
    stdio: 'ignore',
  });
  const stop = () => {
    server.kill('SIGTERM');
    rmSync(dataDir, { recursive: true, force: true });
  };
  for (let i = 0; i < 300; i++) {
    const up = await fetch(`${url}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (up) return { url, stop };
    await new Promise((r) => setTimeout(r, 100));
  }
  stop();
  throw new Error('the Plinth server did not start within 30 s');
}
