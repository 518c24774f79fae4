import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planGraph } from '@plinth/shared';
import { workerGroups } from '../src/runtime/index.ts';
import { chainGraph, freshKey, py, testRuntime } from './runtimeFixtures.ts';

// A node's `network: true` is its own: nodes without it run in other workers, whose sandbox has
// no network at all, even when they belong to the same graph.
const runtime = testRuntime();
let listener: Server;
let port = 0;
beforeAll(async () => {
  listener = createServer((socket) => socket.end('hello'));
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
  port = (listener.address() as { port: number }).port;
});
afterAll(async () => {
  await runtime.close();
  await new Promise((resolve) => listener.close(resolve));
});

/** What a node sees of the network: its interfaces, and whether it can open a socket to the test's listener. */
const probe = (id: string) =>
  py(
    'import socket',
    'def process(data, ctx):',
    '    try:',
    `        socket.create_connection(('127.0.0.1', data['port']), timeout=2).close()`,
    "        reached = 'connected'",
    '    except OSError as e:',
    '        reached = type(e).__name__',
    `    seen = ctx.state.setdefault('seen', [])`,
    `    seen.append('${id}')`,
    `    interfaces = sorted(name for _, name in socket.if_nameindex())`,
    `    return {**data, '${id}': {'reached': reached, 'interfaces': interfaces, 'seen': list(seen)}}`,
  );

describe('worker groups', () => {
  const graph = chainGraph('mixed-network', [
    { id: 'local_a', code: probe('local_a') },
    { id: 'online', code: probe('online'), network: true },
    { id: 'local_b', code: probe('local_b') },
  ]);

  it('puts nodes with network in a group of their own', () => {
    const groups = workerGroups(planGraph(graph));
    expect(groups.map((g) => ({ network: g.network, nodes: g.nodes.map((n) => n.id) }))).toEqual([
      { network: false, nodes: ['local_a', 'local_b'] },
      { network: true, nodes: ['online'] },
    ]);
  });

  for (const runAhead of [false, true]) {
    it(`keeps nodes without network off it, in the same graph, and ctx.state follows the run (runAhead ${runAhead})`, async () => {
      const trace = await runtime.run({
        poolKey: freshKey('mixed'),
        graph,
        input: { port },
        version: runAhead ? 1 : null,
        runAhead,
      });
      expect(trace.error).toBeNull();
      const out = trace.output as Record<string, { reached: string; interfaces: string[]; seen: string[] }>;
      // Without network the sandbox has only its own loopback: nothing outside is reachable.
      expect(out.local_a!.interfaces).toEqual(['lo']);
      expect(out.local_a!.reached).not.toBe('connected');
      expect(out.local_b!.interfaces).toEqual(['lo']);
      expect(out.local_b!.reached).not.toBe('connected');
      // The network node's sandbox has an interface besides loopback.
      expect(out.online!.interfaces.filter((name) => name !== 'lo').length).toBeGreaterThan(0);
      // One ctx.state for the whole run, across the two workers.
      expect(out.local_b!.seen).toEqual(['local_a', 'online', 'local_b']);
    });
  }

  it('names the node and the value when ctx.state cannot travel between workers', async () => {
    const mixed = chainGraph('state-not-json', [
      { id: 'keeps_a_set', code: py('def process(data, ctx):', "    ctx.state['tags'] = {'a'}", '    return data') },
      { id: 'online', code: py('def process(data, ctx):', '    return data'), network: true },
    ]);
    const trace = await runtime.run({ poolKey: freshKey('state'), graph: mixed, input: 1, version: null });
    expect(trace.error).toMatchObject({ nodeId: 'keeps_a_set', code: 'invalid_output', type: 'set' });
    expect(trace.error!.message).toContain("ctx.state['tags']");
    expect(trace.error!.message).toContain('network: true');
  });

  it('lets a graph of one group keep any Python object in ctx.state', async () => {
    const local = chainGraph('state-local', [
      { id: 'keeps_a_set', code: py('def process(data, ctx):', "    ctx.state['tags'] = {'a'}", '    return data') },
      { id: 'reads_it', code: py('def process(data, ctx):', "    return sorted(ctx.state['tags'])") },
    ]);
    const trace = await runtime.run({ poolKey: freshKey('local'), graph: local, input: 1, version: null });
    expect(trace.error).toBeNull();
    expect(trace.output).toEqual(['a']);
  });
});
