/**
 * `npm run bench`: Plinth's /invoke against the same logic hand-written as a Flask app on gunicorn
 * and as a FastAPI app on uvicorn, all driven by wrk over loopback; then, on Plinth alone, the warm
 * per-node overhead and the first invoke after publishing. See README.md next to this file.
 * The last line printed is one JSON object with the numbers.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { summarizeProfile } from './profileSummary.ts';
import { machineTicks, mainThreadTicks, ProcessSet, processTree } from './processes.ts';
import { firstInvokeAfterPublish, perNodeOverhead, type FirstInvoke, type PerNodeOverhead } from './graphCases.ts';
import {
  GUNICORN,
  request,
  startFastApi,
  startFlask,
  startPlinth,
  SYSTEM_PYTHON,
  UVICORN,
  type Target,
} from './targets.ts';
import { runWrk, writeScript, type WrkResult } from './wrk.ts';

const SECONDS = positiveInt('BENCH_SECONDS', 10);
const CONNECTIONS = positiveInt('BENCH_CONNECTIONS', 16);
const WARMUP_REQUESTS = positiveInt('BENCH_WARMUP', 400);
// Rounds alternate Plinth and Flask, so a machine whose load drifts treats both alike; medians are reported.
const ROUNDS = positiveInt('BENCH_ROUNDS', 1);
// With BENCH_PROFILE=1 the Plinth server writes a V8 CPU profile (.cpuprofile) into the work dir, which is kept.
const PROFILE = process.env.BENCH_PROFILE === '1';
// Sequential requests per graph for the per-node overhead case.
const SAMPLES = positiveInt('BENCH_LATENCY_SAMPLES', 500);
/** The goals of issue 9: Plinth against the Flask app. */
const GOAL = { throughput: 2, p99: 0.8, perNodeMs: 0.1, firstInvokeMs: 300 };

/** The timed traffic: one input per branch of the graph, sent in turn. */
const LOAD_INPUTS = [
  { amount: 42.5, country: 'DE', account_age_days: 812, prior_chargebacks: 0 },
  { amount: 2500, country: 'XX', account_age_days: 3, prior_chargebacks: 1 },
];
/** Checked for identical answers before timing, with the load inputs. */
const CHECK_INPUTS = [
  ...LOAD_INPUTS,
  { amount: 0 },
  { amount: 99999.99, country: 'YY' },
  { amount: 10, account_age_days: 10, prior_chargebacks: 3 },
];

interface Measured extends WrkResult {
  /** CPU cores the server's process tree kept busy, split into its main process and the rest (workers). */
  serverCores: { main: number; workers: number };
  /** CPU time the server's process tree spent per request, in ms (`mainThread`: part of `main`). */
  cpuMsPerRequest: { main: number; workers: number; mainThread: number };
  /** CPU cores busy on the whole machine: server, wrk and anything else running. */
  machineCores: number;
  /** The timed window, in process.hrtime microseconds. */
  window: { fromUs: number; toUs: number };
}

function positiveInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a whole number > 0, got "${raw}"`);
  return value;
}

function preflight(): void {
  const need = (what: string, cmd: string, args: string[], pkg: string) => {
    try {
      execFileSync(cmd, args, { stdio: 'ignore' });
    } catch {
      throw new Error(`${what} is missing: install the Debian package ${pkg} (apt-get install -y ${pkg})`);
    }
  };
  need('wrk', 'sh', ['-c', 'command -v wrk'], 'wrk');
  need('gunicorn', SYSTEM_PYTHON, [GUNICORN, '--version'], 'gunicorn');
  need('Flask for /usr/bin/python3', SYSTEM_PYTHON, ['-c', 'import flask'], 'python3-flask');
  need('uvicorn', SYSTEM_PYTHON, [UVICORN, '--version'], 'uvicorn');
  need('FastAPI for /usr/bin/python3', SYSTEM_PYTHON, ['-c', 'import fastapi'], 'python3-fastapi');
}

/** Both servers must give the same answers (and the same auth and input errors) before anything is timed. */
async function verifySameAnswers(a: Target, b: Target): Promise<void> {
  const cases: { what: string; body: unknown; auth?: 'none' | 'wrong'; onlyStatus?: boolean }[] = [
    ...CHECK_INPUTS.map((input) => ({ what: `input ${JSON.stringify(input)}`, body: input })),
    { what: 'no Authorization header', body: LOAD_INPUTS[0], auth: 'none', onlyStatus: true },
    { what: 'a wrong key', body: LOAD_INPUTS[0], auth: 'wrong', onlyStatus: true },
    { what: 'input failing the schema', body: { amount: 'lots' }, onlyStatus: true },
  ];
  for (const c of cases) {
    const token = (t: Target) => (c.auth === 'none' ? undefined : c.auth === 'wrong' ? 'plk_not-a-key' : t.apiKey);
    const [x, y] = await Promise.all([a, b].map((t) => request(t.url, { token: token(t), body: c.body })));
    const same = x!.status === y!.status && (c.onlyStatus || isDeepStrictEqual(x!.body, y!.body));
    if (!same || (!c.onlyStatus && x!.status !== 200)) {
      throw new Error(
        `the two servers disagree on ${c.what}:\n  ${a.label}: ${x!.status} ${JSON.stringify(x!.body)}\n  ${b.label}: ${y!.status} ${JSON.stringify(y!.body)}`,
      );
    }
  }
  console.error(`  same answers from both on ${cases.length} requests`);
}

async function warmUp(target: Target): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < WARMUP_REQUESTS) {
      const body = LOAD_INPUTS[next++ % LOAD_INPUTS.length];
      const answer = await request(target.url, { token: target.apiKey, body });
      if (answer.status !== 200)
        throw new Error(`warm-up of ${target.label}: HTTP ${answer.status} ${JSON.stringify(answer.body)}`);
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONNECTIONS, 8) }, worker));
}

async function measure(target: Target, workDir: string): Promise<Measured> {
  const script = writeScript(workDir, target.process.name, {
    url: target.url,
    apiKey: target.apiKey,
    bodies: LOAD_INPUTS.map((i) => JSON.stringify(i)),
  });
  const ticks = (pid: number) =>
    processTree(pid).map((p) => ({ main: p.pid === pid, ticks: p.cpuTicks, key: `${p.pid}` }));
  const before = {
    tree: ticks(target.process.pid),
    machine: machineTicks(),
    thread: mainThreadTicks(target.process.pid),
  };
  const fromUs = nowUs();
  const result = await runWrk(script, target.url, CONNECTIONS, SECONDS);
  const toUs = nowUs();
  const after = {
    tree: ticks(target.process.pid),
    machine: machineTicks(),
    thread: mainThreadTicks(target.process.pid),
  };
  if (result.non2xx > 0)
    throw new Error(`${target.label}: ${result.non2xx} responses were not 2xx during the run:\n${result.raw}`);
  const cores = (delta: number) => (delta / (after.machine.total - before.machine.total)) * os.cpus().length;
  const startTicks = new Map(before.tree.map((p) => [p.key, p.ticks]));
  const used = (main: boolean) =>
    after.tree.filter((p) => p.main === main).reduce((sum, p) => sum + p.ticks - (startTicks.get(p.key) ?? 0), 0);
  const serverCores = { main: cores(used(true)), workers: cores(used(false)) };
  const perRequest = (c: number) => ((c * (toUs - fromUs)) / 1e6 / result.requests) * 1000;
  return {
    ...result,
    serverCores,
    cpuMsPerRequest: {
      main: perRequest(serverCores.main),
      workers: perRequest(serverCores.workers),
      mainThread: perRequest(cores(after.thread - before.thread)),
    },
    machineCores: cores(after.machine.busy - before.machine.busy),
    window: { fromUs, toUs },
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Every figure is the median over the rounds (each figure on its own). */
function medianOf(runs: Measured[]): Measured {
  const m = (pick: (r: Measured) => number) => median(runs.map(pick));
  return {
    ...runs[0]!,
    rps: m((r) => r.rps),
    p50_ms: m((r) => r.p50_ms),
    p99_ms: m((r) => r.p99_ms),
    requests: runs.reduce((sum, r) => sum + r.requests, 0),
    serverCores: { main: m((r) => r.serverCores.main), workers: m((r) => r.serverCores.workers) },
    cpuMsPerRequest: {
      main: m((r) => r.cpuMsPerRequest.main),
      workers: m((r) => r.cpuMsPerRequest.workers),
      mainThread: m((r) => r.cpuMsPerRequest.mainThread),
    },
    machineCores: m((r) => r.machineCores),
  };
}

const nowUs = () => Number(process.hrtime.bigint() / 1000n);
const round = (n: number, digits = 2) => Number(n.toFixed(digits));

function describe(label: string, runs: Measured[]): string {
  const m = medianOf(runs);
  const rounds =
    runs.length > 1 ? `, median of ${runs.length} rounds: ${runs.map((r) => round(r.rps, 1)).join(', ')} req/s` : '';
  return [
    `${label}${rounds}`,
    `  ${round(m.rps, 1)} req/s   p50 ${round(m.p50_ms, 3)} ms   p99 ${round(m.p99_ms, 3)} ms   (${m.requests} requests${m.socketErrors ? `; socket errors: ${m.socketErrors}` : ''})`,
    `  CPU cores busy: server main process ${round(m.serverCores.main)}, its other processes ${round(m.serverCores.workers)}, whole machine ${round(m.machineCores)} of ${os.cpus().length}`,
    `  CPU time per request: server main process ${round(m.cpuMsPerRequest.main, 3)} ms (its main thread ${round(m.cpuMsPerRequest.mainThread, 3)} ms), its other processes ${round(m.cpuMsPerRequest.workers, 3)} ms`,
  ].join('\n');
}

async function main(processes: ProcessSet, workDir: string): Promise<void> {
  preflight();
  const loadBefore = os.loadavg()[0] ?? 0;
  console.error(
    `Benchmark: ${SECONDS} s per server, wrk -t1 -c${CONNECTIONS} over loopback, ${os.cpus().length} CPU cores`,
  );
  const nodeArgs = PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${workDir}`] : [];
  const plinth = await startPlinth(processes, path.join(workDir, 'data'), nodeArgs);
  const flask = await startFlask(processes);
  const fastapi = await startFastApi(processes);
  await verifySameAnswers(plinth, flask);
  await verifySameAnswers(plinth, fastapi);
  await Promise.all([warmUp(plinth), warmUp(flask), warmUp(fastapi)]);
  const runs = { plinth: [] as Measured[], flask: [] as Measured[], fastapi: [] as Measured[] };
  for (let r = 1; r <= ROUNDS; r++) {
    for (const [key, target] of [
      ['plinth', plinth],
      ['flask', flask],
      ['fastapi', fastapi],
    ] as const) {
      console.error(`  ${ROUNDS > 1 ? `round ${r}/${ROUNDS}: ` : ''}timing ${target.label} ...`);
      runs[key].push(await measure(target, workDir));
    }
  }
  await processes.stop(flask.process.pid);
  await processes.stop(fastapi.process.pid);
  console.error(`  per-node overhead: ${SAMPLES} sequential requests to a 1-node and a 20-node chain, in turn ...`);
  const perNode = await perNodeOverhead(plinth, SAMPLES);
  console.error('  first invoke after publishing, 3 fresh graphs ...');
  const first = await firstInvokeAfterPublish(plinth, 3);
  await processes.stop(plinth.process.pid); // writes the CPU profile, if any
  report(
    { plinth: plinth.label, flask: flask.label, fastapi: fastapi.label },
    runs,
    { perNode, first },
    workDir,
    loadBefore,
  );
}

type Key = 'plinth' | 'flask' | 'fastapi';

function report(
  labels: Record<Key, string>,
  runs: Record<Key, Measured[]>,
  cases: { perNode: PerNodeOverhead; first: FirstInvoke },
  workDir: string,
  loadBefore: number,
): void {
  const p = medianOf(runs.plinth);
  const f = medianOf(runs.flask);
  const fa = medianOf(runs.fastapi);
  const cpuMs = (m: Measured) => m.cpuMsPerRequest.main + m.cpuMsPerRequest.workers;
  const ratio = {
    throughput: round(p.rps / f.rps, 3),
    p99: round(p.p99_ms / f.p99_ms, 3),
    fastapi_throughput: round(p.rps / fa.rps, 3),
    fastapi_p99: round(p.p99_ms / fa.p99_ms, 3),
  };
  const verdict = (ok: boolean) => (ok ? 'meets target' : 'MISSES target');
  console.log(describe(labels.plinth, runs.plinth));
  console.log(describe(labels.flask, runs.flask));
  console.log(describe(labels.fastapi, runs.fastapi));
  console.log(
    `Throughput ratio Plinth/Flask ${ratio.throughput} (target >= ${GOAL.throughput}: ${verdict(ratio.throughput >= GOAL.throughput)})`,
  );
  console.log(`p99 ratio Plinth/Flask        ${ratio.p99} (target <= ${GOAL.p99}: ${verdict(ratio.p99 <= GOAL.p99)})`);
  console.log(`Plinth/FastAPI                throughput ${ratio.fastapi_throughput}, p99 ${ratio.fastapi_p99}`);
  console.log(
    `Server CPU per request        Plinth ${round(cpuMs(p), 3)} ms, Flask ${round(cpuMs(f), 3)} ms, FastAPI ${round(cpuMs(fa), 3)} ms (Flask/Plinth ${round(cpuMs(f) / cpuMs(p), 3)})`,
  );
  const { perNode, first } = cases;
  console.log(
    `Warm per-node overhead        ${perNode.per_node_ms} ms at p50 ((${perNode.chain_nodes}-node chain ${perNode.chain_p50_ms} ms - 1-node ${perNode.single_p50_ms} ms) / ${perNode.chain_nodes - 1}; target < ${GOAL.perNodeMs}: ${verdict(perNode.per_node_ms < GOAL.perNodeMs)})`,
  );
  console.log(
    `First invoke after publish    ${first.first_invoke_ms.join(', ')} ms (publish took ${first.publish_ms.join(', ')} ms; target <= ${GOAL.firstInvokeMs}: ${verdict(first.max_ms <= GOAL.firstInvokeMs)})`,
  );
  if (loadBefore > os.cpus().length) {
    console.log(
      `Note: the machine was busy before the benchmark (load average ${round(loadBefore)} on ${os.cpus().length} cores); ` +
        'throughput and latency are noisy, CPU per request less so.',
    );
  }
  if (PROFILE)
    console.log(
      summarizeProfile(
        workDir,
        runs.plinth.map((r) => r.window),
      ),
    );
  const numbers = (m: Measured) => ({
    rps: round(m.rps, 1),
    p50_ms: round(m.p50_ms, 3),
    p99_ms: round(m.p99_ms, 3),
    cpu_ms_per_request: round(cpuMs(m), 3),
  });
  const json = {
    plinth: { ...numbers(p), main_thread_ms_per_request: round(p.cpuMsPerRequest.mainThread, 3) },
    flask: numbers(f),
    fastapi: numbers(fa),
    ratio,
    per_node: perNode,
    first_invoke: first,
    run_history: process.env.PLINTH_RUN_HISTORY ?? 'on',
    seconds: SECONDS,
    connections: CONNECTIONS,
  };
  console.log(JSON.stringify(ROUNDS > 1 ? { ...json, rounds: ROUNDS } : json));
}

const processes = new ProcessSet();
const workDir = mkdtempSync(path.join(os.tmpdir(), 'plinth-bench-'));
const cleanUp = async () => {
  await processes.stopAll();
  if (!PROFILE) rmSync(workDir, { recursive: true, force: true });
};
let interrupted = false;
process.on('exit', () => processes.killAllNow());
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.once(signal, () => {
    interrupted = true;
    console.error(`\n${signal}: stopping the servers`);
    void cleanUp().finally(() => process.exit(130));
  });
}
try {
  await main(processes, workDir);
  await cleanUp();
} catch (error) {
  // Once interrupted, requests to the stopped servers fail: that is not news.
  if (!interrupted) console.error(`bench failed: ${error instanceof Error ? error.message : String(error)}`);
  await cleanUp();
  process.exitCode = 1;
}
