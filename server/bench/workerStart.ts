/**
 * How long a pool takes to start one sandboxed worker (spawn → runner answers `load`), as a
 * published graph's first run or a crashed worker's replacement waits for it. Prints the median
 * of WORKER_START_ROUNDS (20) starts for a worker without and with network, then one JSON line.
 *
 *   node --import tsx server/bench/workerStart.ts
 */
import { GraphDocumentSchema } from '@plinth/shared';
import { createRuntime, runtimeOptionsFromEnv } from '../src/runtime/index.ts';

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
  const runtime = createRuntime({ ...runtimeOptionsFromEnv(process.env, () => {}), workersPerPool: 1 });
  const times: number[] = [];
  try {
    for (let i = 0; i < ROUNDS; i++) {
      const started = performance.now();
      await runtime.warm(`start-${network}-${i}`, graph(network));
      times.push(performance.now() - started);
      await runtime.retire(`start-${network}-${i}`);
    }
  } finally {
    await runtime.close();
  }
  times.sort((a, b) => a - b);
  return Math.round(times[Math.floor(times.length / 2)]! * 10) / 10;
}

const plain = await medianStartMs(false);
console.log(`worker start, no network: median ${plain} ms of ${ROUNDS}`);
const networked = await medianStartMs(true);
console.log(`worker start, network: true: median ${networked} ms of ${ROUNDS}`);
console.log(JSON.stringify({ plainMs: plain, networkMs: networked, rounds: ROUNDS }));
