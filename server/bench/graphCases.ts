/**
 * The benchmark's extra cases on the running Plinth server (after the timed comparison):
 *  - warm per-node overhead: a 20-node chain of trivial nodes against a 1-node graph, sequential
 *    requests taken in turn, reported as (chain p50 − single p50) / 19;
 *  - the first invoke after publishing: a fresh copy of the benchmark graph is published and
 *    invoked at once (its workers are started by the publish, not by that first request).
 */
import { expectStatus, loadBenchGraph, request, type Target } from './targets.ts';

const TRIVIAL = 'def process(data, ctx):\n    return data\n';

export interface PerNodeOverhead {
  single_p50_ms: number;
  chain_p50_ms: number;
  chain_nodes: number;
  per_node_ms: number;
  samples: number;
}

export interface FirstInvoke {
  /** Each fresh graph's publish request, then its first invoke, in ms. */
  publish_ms: number[];
  first_invoke_ms: number[];
  /** The slowest first invoke. */
  max_ms: number;
}

/** A published graph `input → n1 → … → n<count> → output` of nodes that hand their input on. */
function chainGraph(name: string, count: number) {
  const ids = Array.from({ length: count }, (_, i) => `n${i + 1}`);
  const chain = ['input', ...ids, 'output'];
  return {
    format: 'plinth.graph/v1',
    name,
    nodes: [
      { id: 'input', type: 'input' },
      ...ids.map((id) => ({ id, type: 'python', code: TRIVIAL })),
      { id: 'output', type: 'output' },
    ],
    edges: chain.slice(1).map((target, i) => ({ source: chain[i]!, target })),
  };
}

async function publish(admin: NonNullable<Target['admin']>, graph: { name: string }): Promise<void> {
  await expectStatus(`create ${graph.name}`, request(`${admin.api}/graphs`, { token: admin.token, body: graph }), 201);
  await expectStatus(
    `publish ${graph.name}`,
    request(`${admin.api}/graphs/${graph.name}/versions`, { token: admin.token, body: {} }),
    201,
  );
}

async function timedInvoke(url: string, key: string, body: unknown): Promise<number> {
  const started = performance.now();
  const answer = await request(url, { token: key, body });
  const ms = performance.now() - started;
  if (answer.status !== 200) throw new Error(`${url}: HTTP ${answer.status} ${JSON.stringify(answer.body)}`);
  return ms;
}

const p50 = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const round = (n: number) => Number(n.toFixed(3));

/** Sequential requests to a 1-node and a 20-node chain, in turn; their p50s and the cost of each further node. */
export async function perNodeOverhead(plinth: Target, samples: number): Promise<PerNodeOverhead> {
  const admin = plinth.admin!;
  const count = 20;
  await publish(admin, chainGraph('bench-chain-1', 1));
  await publish(admin, chainGraph(`bench-chain-${count}`, count));
  const url = (n: number) => `${admin.api}/graphs/bench-chain-${n}/invoke`;
  const body = { amount: 42.5, country: 'DE' };
  const single: number[] = [];
  const chain: number[] = [];
  for (let i = 0; i < samples + 50; i++) {
    const a = await timedInvoke(url(1), plinth.apiKey, body);
    const b = await timedInvoke(url(count), plinth.apiKey, body);
    if (i < 50) continue; // warm-up
    single.push(a);
    chain.push(b);
  }
  const [s, c] = [p50(single), p50(chain)];
  return {
    single_p50_ms: round(s),
    chain_p50_ms: round(c),
    chain_nodes: count,
    per_node_ms: round((c - s) / (count - 1)),
    samples,
  };
}

/** Publishes `times` fresh copies of the benchmark graph and times each one's first invoke. */
export async function firstInvokeAfterPublish(plinth: Target, times: number): Promise<FirstInvoke> {
  const admin = plinth.admin!;
  const publishMs: number[] = [];
  const firstMs: number[] = [];
  for (let i = 1; i <= times; i++) {
    const graph = { ...loadBenchGraph(), name: `bench-first-${i}` };
    const started = performance.now();
    await publish(admin, graph);
    publishMs.push(round(performance.now() - started));
    firstMs.push(
      round(
        await timedInvoke(`${admin.api}/graphs/${graph.name}/invoke`, plinth.apiKey, {
          amount: 42.5,
          country: 'DE',
          account_age_days: 812,
          prior_chargebacks: 0,
        }),
      ),
    );
  }
  return { publish_ms: publishMs, first_invoke_ms: firstMs, max_ms: Math.max(...firstMs) };
}
