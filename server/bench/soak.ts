/**
 * `npm run soak`: a published graph under a fixed rate for a while, from a second process, while
 * workers are killed at random and (with DATABASE_URL) PostgreSQL is restarted once. Prints what was
 * sent, answered and failed (by status), the latencies, and the server's memory at start and end.
 *
 * Settings: SOAK_SECONDS (60), SOAK_RATE (requests/s, 100), SOAK_KILL_EVERY_MS (3000),
 * DATABASE_URL (PostgreSQL; restarted with SOAK_PG_RESTART, default `pg_ctlcluster <version> main restart`).
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { processTree, ProcessSet } from './processes.ts';
import { BENCH_DIR, startPlinth } from './targets.ts';

const seconds = Number(process.env.SOAK_SECONDS ?? 60);
const rate = Number(process.env.SOAK_RATE ?? 100);
const killEveryMs = Number(process.env.SOAK_KILL_EVERY_MS ?? 3000);

function rssMb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('VmRSS:'));
  return Math.round(Number(line?.replace(/\D+/g, '') ?? 0) / 1024);
}

/** The sandboxed Python workers under the server: the processes running python inside bubblewrap. */
function workers(serverPid: number): number[] {
  return processTree(serverPid)
    .filter((p) => p.comm.startsWith('python'))
    .map((p) => p.pid);
}

function restartPostgres(): string {
  const command = process.env.SOAK_PG_RESTART;
  if (command) {
    execFileSync('/bin/sh', ['-c', command], { stdio: 'inherit' });
    return command;
  }
  const version = readdirSync('/etc/postgresql')[0];
  execFileSync('pg_ctlcluster', ['--skip-systemctl-redirect', version!, 'main', 'restart'], { stdio: 'inherit' });
  return `pg_ctlcluster ${version} main restart`;
}

async function main(): Promise<void> {
  const processes = new ProcessSet();
  const dataDir = mkdtempSync(path.join(tmpdir(), 'plinth-soak-'));
  const stopAll = async () => {
    await processes.stopAll();
    rmSync(dataDir, { recursive: true, force: true });
  };
  process.once('SIGINT', () => void stopAll().then(() => process.exit(130)));
  try {
    const plinth = await startPlinth(processes, dataDir);
    const serverPid = plinth.process.pid;
    await new Promise((r) => setTimeout(r, 1000));
    const memoryStart = rssMb(serverPid);
    process.stdout.write(`soak: ${rate} requests/s for ${seconds} s at ${plinth.url}; server RSS ${memoryStart} MB\n`);

    const load = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        path.join(BENCH_DIR, 'soakLoad.ts'),
        plinth.url,
        plinth.apiKey,
        String(rate),
        String(seconds),
      ],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let report = '';
    load.stdout.on('data', (chunk: Buffer) => (report += chunk.toString()));
    const loadDone = new Promise<void>((resolve) => load.once('exit', () => resolve()));

    let kills = 0;
    const killer = setInterval(() => {
      const pids = workers(serverPid);
      const victim = pids[Math.floor(Math.random() * pids.length)];
      if (victim === undefined) return;
      try {
        process.kill(victim, 'SIGKILL');
        kills++;
      } catch {
        // it ended on its own meanwhile
      }
    }, killEveryMs);
    let pgRestart = 'not done (DATABASE_URL is not set)';
    if (process.env.DATABASE_URL) {
      setTimeout(
        () => {
          try {
            pgRestart = `done at ${Math.round(seconds / 2)} s: ${restartPostgres()}`;
          } catch (error) {
            pgRestart = `failed: ${(error as Error).message}`;
          }
        },
        (seconds / 2) * 1000,
      );
    }
    await loadDone;
    clearInterval(killer);
    const memoryEnd = rssMb(serverPid);
    const result = JSON.parse(report.trim().split('\n').pop() ?? '{}') as Record<string, unknown>;
    const summary = {
      ...result,
      worker_kills: kills,
      postgres_restart: pgRestart,
      server_rss_mb: { start: memoryStart, end: memoryEnd },
    };
    process.stdout.write(
      [
        `sent ${String(result.sent)}, answered ${String(result.answered)}`,
        `by status: ${JSON.stringify(result.statuses)}`,
        `p50 ${Number(result.p50_ms).toFixed(1)} ms, p99 ${Number(result.p99_ms).toFixed(1)} ms, max ${Number(result.max_ms).toFixed(0)} ms`,
        `worker kills: ${kills}; PostgreSQL restart: ${pgRestart}`,
        `server memory (RSS): ${memoryStart} MB at start, ${memoryEnd} MB at end`,
        JSON.stringify(summary),
        '',
      ].join('\n'),
    );
  } finally {
    await stopAll();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`soak: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
