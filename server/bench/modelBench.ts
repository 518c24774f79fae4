/**
 * `npm run bench:models` (also the second half of `npm run bench`): models next to the graph.
 *  1. deploy-to-ready time of the scikit-learn breast-cancer model (upload → ready, fitted in load());
 *  2. the latency a model node adds to an invoke: input → model → output against calling the
 *     model's predict endpoint directly, sequential requests, p50 and p99 of each;
 *  3. throughput of the sample graph with its model node (features → payment-risk model → decide →
 *     approve | review) against the same logic hand-written in Flask on gunicorn, calling the same
 *     scikit-learn model (flask_model_app.py), both driven by wrk.
 * The last line printed is one JSON object with the numbers. See README.md next to this file.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buffer } from 'node:stream/consumers';
import { isDeepStrictEqual } from 'node:util';
import { create } from 'tar';
import { freePort, ProcessSet } from './processes.ts';
import { BENCH_DIR, GUNICORN, GUNICORN_WORKERS, request, SYSTEM_PYTHON, waitUntilUp } from './targets.ts';
import { runWrk, writeScript } from './wrk.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16);
const SAMPLES = Number(process.env.BENCH_LATENCY_SAMPLES ?? 500);
const REPO_ROOT = path.resolve(BENCH_DIR, '../..');
const ZOO = path.join(REPO_ROOT, 'sandbox-images/zoo');
const INPUTS = [
  { amount: 42.5, country: 'DE', customer_age_days: 812 },
  { amount: 25000, country: 'XX', customer_age_days: 3 },
];
const FEATURES = { amount: 42.5, log_amount: 1.638, new_customer: false, risky_country: false };

interface Server {
  base: string;
  admin: string;
  key: string;
}

async function startServer(processes: ProcessSet, dataDir: string): Promise<Server> {
  const port = await freePort();
  const admin = randomBytes(24).toString('base64url');
  const proc = processes.start('plinth', process.execPath, ['--import', 'tsx', 'server/src/main.ts'], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      PLINTH_DATA_DIR: dataDir,
      PLINTH_ADMIN_TOKEN: admin,
      PLINTH_MODEL_ZOO: '0',
    },
  });
  const base = `http://127.0.0.1:${port}`;
  await waitUntilUp(proc, `${base}/healthz`);
  const key = await request(`${base}/api/v1/keys`, { token: admin, body: { name: 'bench' } });
  return { base, admin, key: (key.body as { key: string }).key };
}

/** Uploads a zoo package and waits until it is ready; the milliseconds that took. */
async function deployZoo(server: Server, name: string): Promise<number> {
  const archive = await buffer(create({ gzip: true, cwd: path.join(ZOO, name), portable: true }, ['.']));
  const started = performance.now();
  const res = await fetch(`${server.base}/api/v1/models?name=${name}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${server.admin}`, 'Content-Type': 'application/gzip' },
    body: new Uint8Array(archive),
  });
  const created = (await res.json()) as { version?: number };
  if (res.status !== 201) throw new Error(`uploading ${name}: HTTP ${res.status} ${JSON.stringify(created)}`);
  for (;;) {
    const info = await request(`${server.base}/api/v1/models/${name}/versions/${created.version}`, {
      method: 'GET',
      token: server.admin,
    });
    if (info.status !== 200) throw new Error(`reading ${name}: HTTP ${info.status} ${JSON.stringify(info.body)}`);
    const status = (info.body as { status: string }).status;
    if (status === 'ready') return performance.now() - started;
    if (status === 'failed') throw new Error(`${name} failed to deploy: ${JSON.stringify(info.body)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function publish(server: Server, graph: Record<string, unknown>): Promise<string> {
  await request(`${server.base}/api/v1/graphs`, { token: server.admin, body: graph });
  await request(`${server.base}/api/v1/graphs/${graph.name as string}/versions`, { token: server.admin, body: {} });
  return `${server.base}/api/v1/graphs/${graph.name as string}/invoke`;
}

/** p50 and p99 of `SAMPLES` sequential requests, in ms. */
async function latency(url: string, key: string, body: unknown): Promise<{ p50_ms: number; p99_ms: number }> {
  const times: number[] = [];
  for (let i = 0; i < SAMPLES + 20; i++) {
    const started = performance.now();
    const answer = await request(url, { token: key, body });
    if (answer.status !== 200) throw new Error(`${url}: ${answer.status} ${JSON.stringify(answer.body)}`);
    if (i >= 20) times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  const at = (q: number) => round(times[Math.min(times.length - 1, Math.floor(q * times.length))]!);
  return { p50_ms: at(0.5), p99_ms: at(0.99) };
}

async function throughput(label: string, url: string, key: string, workDir: string) {
  for (let i = 0; i < 200; i++) await request(url, { token: key, body: INPUTS[i % 2] });
  const script = writeScript(workDir, label, { url, apiKey: key, bodies: INPUTS.map((i) => JSON.stringify(i)) });
  const result = await runWrk(script, url, CONNECTIONS, SECONDS);
  if (result.non2xx > 0) throw new Error(`${label}: ${result.non2xx} non-2xx answers`);
  return { rps: round(result.rps, 1), p50_ms: round(result.p50_ms), p99_ms: round(result.p99_ms) };
}

const round = (n: number, digits = 3) => Number(n.toFixed(digits));

async function main(processes: ProcessSet, workDir: string): Promise<void> {
  console.error(
    `Model benchmark: ${SAMPLES} sequential requests per latency figure, wrk -c${CONNECTIONS} for ${SECONDS} s per server`,
  );
  const server = await startServer(processes, path.join(workDir, 'data'));
  const deployMs = await deployZoo(server, 'breast-cancer');
  console.log(`deploy-to-ready, scikit-learn breast-cancer (upload, check, fit in load()): ${Math.round(deployMs)} ms`);
  await deployZoo(server, 'payment-risk');

  const direct = await latency(`${server.base}/api/v1/models/payment-risk/predict`, server.key, FEATURES);
  const viaNode = await latency(
    await publish(server, {
      format: 'plinth.graph/v1',
      name: 'bench-model-node',
      nodes: [
        { id: 'input', type: 'input' },
        { id: 'score', type: 'model', model: 'payment-risk' },
        { id: 'output', type: 'output' },
      ],
      edges: [
        { source: 'input', target: 'score' },
        { source: 'score', target: 'output' },
      ],
    }),
    server.key,
    FEATURES,
  );
  const overhead = { p50_ms: round(viaNode.p50_ms - direct.p50_ms), p99_ms: round(viaNode.p99_ms - direct.p99_ms) };
  console.log(`predict directly:        p50 ${direct.p50_ms} ms, p99 ${direct.p99_ms} ms`);
  console.log(
    `through a model node:    p50 ${viaNode.p50_ms} ms, p99 ${viaNode.p99_ms} ms (adds ${overhead.p50_ms} / ${overhead.p99_ms} ms)`,
  );

  const sample = JSON.parse(readFileSync(path.join(REPO_ROOT, 'server/samples/payment-scoring.json'), 'utf8')) as {
    nodes: { id: string }[];
    edges: { source: string; target: string; branch?: string }[];
  };
  // The sample graph without `respond` (it adds the run id, which Flask has no equivalent of).
  const flow = {
    ...sample,
    name: 'bench-model-flow',
    nodes: sample.nodes.filter((n) => n.id !== 'respond'),
    edges: [
      ...sample.edges.filter((e) => e.source !== 'respond' && e.target !== 'respond'),
      { source: 'approve', target: 'output' },
      { source: 'review', target: 'output' },
    ],
  };
  const plinthUrl = await publish(server, flow);
  const flaskPort = await freePort();
  const flaskKey = randomBytes(32).toString('base64url');
  const flask = processes.start(
    'gunicorn',
    SYSTEM_PYTHON,
    [
      GUNICORN,
      '-w',
      String(GUNICORN_WORKERS),
      '-b',
      `127.0.0.1:${flaskPort}`,
      '--chdir',
      BENCH_DIR,
      'flask_model_app:app',
    ],
    { cwd: BENCH_DIR, env: { ...process.env, BENCH_API_KEY: flaskKey } },
  );
  const flaskUrl = `http://127.0.0.1:${flaskPort}/invoke`;
  await waitUntilUp(flask, `http://127.0.0.1:${flaskPort}/`);
  for (const input of INPUTS) {
    const [a, b] = await Promise.all([
      request(plinthUrl, { token: server.key, body: input }),
      request(flaskUrl, { token: flaskKey, body: input }),
    ]);
    if (a.status !== 200 || !isDeepStrictEqual(a.body, b.body)) {
      throw new Error(
        `the two servers disagree on ${JSON.stringify(input)}: ${JSON.stringify(a.body)} vs ${JSON.stringify(b.body)}`,
      );
    }
  }
  const plinth = await throughput('plinth-model', plinthUrl, server.key, workDir);
  const hand = await throughput('flask-model', flaskUrl, flaskKey, workDir);
  const ratio = round(plinth.rps / hand.rps);
  console.log(`graph with a model node: ${plinth.rps} req/s (p50 ${plinth.p50_ms} ms, p99 ${plinth.p99_ms} ms)`);
  console.log(
    `Flask + gunicorn (${GUNICORN_WORKERS} workers): ${hand.rps} req/s (p50 ${hand.p50_ms} ms, p99 ${hand.p99_ms} ms)`,
  );
  console.log(`throughput ratio ${ratio} (target >= 1.5: ${ratio >= 1.5 ? 'meets target' : 'MISSES target'})`);
  if ((os.loadavg()[0] ?? 0) > os.cpus().length) console.log('Note: the machine was busy; figures are indicative.');
  console.log(
    JSON.stringify({
      deploy_to_ready_ms: Math.round(deployMs),
      model_node_overhead: { direct, via_node: viaNode, added: overhead },
      throughput: { plinth, flask: hand, ratio },
      seconds: SECONDS,
      connections: CONNECTIONS,
    }),
  );
}

const processes = new ProcessSet();
const workDir = mkdtempSync(path.join(os.tmpdir(), 'plinth-model-bench-'));
process.on('exit', () => processes.killAllNow());
try {
  await main(processes, workDir);
} catch (error) {
  console.error(`model bench failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
} finally {
  await processes.stopAll();
  rmSync(workDir, { recursive: true, force: true });
}
