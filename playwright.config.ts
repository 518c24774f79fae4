import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { defineConfig } from '@playwright/test';

// The config is evaluated by the runner and again by each worker: pick the port
// and data dir once and hand them down through the environment.
function freePort(): string {
  const script =
    "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{process.stdout.write(String(s.address().port));s.close()})";
  return execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' }).trim();
}
process.env.PLINTH_E2E_PORT ??= freePort();
process.env.PLINTH_E2E_DATA_DIR ??= mkdtempSync(path.join(tmpdir(), 'plinth-e2e-'));
process.env.PLINTH_E2E_TOKEN ??= 'e2e-admin-token-0123456789abcdef';
// The package index nodes' requirements come from: served on this port by e2e/requirements.spec.ts.
process.env.PLINTH_E2E_PIP_PORT ??= freePort();
// A page on another origin that may call the API (PLINTH_CORS_ORIGINS), served by e2e/call.spec.ts.
process.env.PLINTH_E2E_PAGE_PORT ??= freePort();

const port = process.env.PLINTH_E2E_PORT;
const baseURL = `http://127.0.0.1:${port}`;

export default defineConfig({
  testDir: 'e2e',
  globalTeardown: './e2e/globalTeardown.ts',
  outputDir: 'test-results',
  timeout: 120_000,
  expect: { timeout: 15_000 },
  workers: 1,
  fullyParallel: false,
  retries: process.env.CI ? 1 : 0,
  reporter: process.env.CI ? [['list'], ['html', { open: 'never' }]] : 'list',
  use: {
    baseURL,
    viewport: { width: 1280, height: 800 },
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--no-first-run',
      ],
    },
  },
  projects: [
    // Timing goals are benchmarks, not tests: `npm run bench:ide` runs the perf spec on its own.
    { name: 'chromium', use: { browserName: 'chromium' }, testIgnore: /perf\.spec\.ts$/ },
    { name: 'perf', use: { browserName: 'chromium' }, testMatch: /perf\.spec\.ts$/ },
  ],
  webServer: {
    // The real server (real sandbox, real SQLite) on a fresh data dir, serving the built client.
    command: 'node --import tsx server/src/main.ts',
    url: `${baseURL}/healthz`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: 'ignore',
    stderr: 'pipe',
    env: {
      PORT: port,
      HOST: '127.0.0.1',
      PLINTH_DATA_DIR: process.env.PLINTH_E2E_DATA_DIR,
      PLINTH_ADMIN_TOKEN: process.env.PLINTH_E2E_TOKEN,
      PLINTH_PIP_INDEX_URL: `http://127.0.0.1:${process.env.PLINTH_E2E_PIP_PORT}/simple`,
      PLINTH_CORS_ORIGINS: `http://127.0.0.1:${process.env.PLINTH_E2E_PAGE_PORT}`,
    },
  },
});
