/**
 * How long a pool takes to start one sandboxed worker (spawn → runner answers `load`), as a
 * published graph's first run or a crashed worker's replacement waits for it, and how much of
 * that is the sandbox itself (the same command running /bin/true instead of Python, spawn → exit).
 * Prints medians of WORKER_START_ROUNDS (20) starts without and with network, then one JSON line.
 *
 *   node --import tsx server/bench/workerStart.ts
 */
import { GraphDocumentSchema } from '@plinth/shared';
import { createGraphRuntime, runtimeOptionsFromEnv, type RuntimeOptions } from '../src/runtime/index.ts';
import { workerCommand } from '../src/runtime/process/sandboxCommand.ts';
import { spawnWorker } from '../src/runtime/process/spawnWorker.ts';

const ROUNDS = Number(process.env.WORKER_START_ROUNDS ?? 20);

function graph(network: boolean) {
  return GraphDocumentSchema.parse({
    format: 'plinth.graph/v1',
    name: 'start',
    nodes: [
      { id: 'input', type: 'input' },
      { id: 'echo', type: 'python', network, code: 'def process(data, ctx):\n    return data\n' },
      { id: 'output', type: 'output' },
    ],
    edges: [
      { source: 'input', target: 'echo' },
      { source: 'echo', target: 'output' },
    ],
  });
}

async function medianStartMs(network: boolean): Promise<number> {
  const runtime = createGraphRuntime({ ...runtimeOptionsFromEnv(process.env, () => {}), workersPerPool: 1 });
  const times: number[] = [];
  try {
    for (let i = 0; i < ROUNDS; i++) {
      const started = performance.now();
      await runtime.warm(`start-${network}-${i}`, graph(network));
      times.push(performance.now() - started);
      await runtime.retire((key) => key === `start-${network}-${i}`);
    }
  } finally {
    await runtime.close();
  }
  return median(times);
}

async function medianSandboxMs(options: RuntimeOptions, network: boolean): Promise<number> {
  const command = workerCommand(options, { network, argv: ['/bin/true'], group: 'bench' });
  const times: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const started = performance.now();
    const child = spawnWorker(command);
    child.stdin.end();
    child.stdout.resume();
    child.stderr.resume();
    const code = await new Promise((resolve) => child.once('exit', resolve));
    if (code !== 0) throw new Error(`the sandbox exited with ${String(code)}`);
    times.push(performance.now() - started);
  }
  return median(times);
}

function median(times: number[]): number {
  times.sort((a, b) => a - b);
  return Math.round(times[Math.floor(times.length / 2)]! * 10) / 10;
}

const options = runtimeOptionsFromEnv(process.env, () => {});
const result = {
  sandboxMs: await medianSandboxMs(options, false),
  sandboxNetworkMs: await medianSandboxMs(options, true),
  workerMs: await medianStartMs(false),
  workerNetworkMs: await medianStartMs(true),
  rounds: ROUNDS,
};
console.log(`sandbox alone (/bin/true): ${result.sandboxMs} ms, with network ${result.sandboxNetworkMs} ms`);
console.log(`Python worker ready: ${result.workerMs} ms, with network ${result.workerNetworkMs} ms (medians)`);
console.log(JSON.stringify(result));
