import { execFileSync } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { networkInterfaces } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runtimeOptionsFromEnv } from '../src/runtime/index.ts';
import { chainGraph, freshKey, py, testRuntime } from './runtimeFixtures.ts';

// Every address probed here is on this machine: the server's loopback, its abstract sockets, and
// a veth pair this file creates (and removes) with an address of its own in 10.255.0.0/16 (this
// kernel has no dummy interfaces; both ends stay in this machine's network namespace).
const isRoot = process.getuid?.() === 0;
const VETH = `plt${process.pid % 1_000_000}`;
const LOCAL_ADDRESS = `10.255.${(process.pid >> 8) & 255}.${process.pid & 255 || 1}`;
const ABSTRACT = `plinth-test-${process.pid}`;

interface Listener {
  server: Server;
  port: number;
  accepted: number;
}

async function listen(options: { host: string } | { path: string }): Promise<Listener> {
  const listener: Listener = { server: createServer(), port: 0, accepted: 0 };
  listener.server.on('connection', (socket) => {
    listener.accepted++;
    socket.end('hello');
  });
  await new Promise<void>((resolve) =>
    'path' in options
      ? listener.server.listen(options.path, resolve)
      : listener.server.listen(0, options.host, resolve),
  );
  if ('host' in options) listener.port = (listener.server.address() as { port: number }).port;
  return listener;
}

const CONNECT = py(
  'import errno, socket',
  'def process(targets, ctx):',
  '    result = {}',
  '    for name, target in targets.items():',
  '        family = socket.AF_UNIX if isinstance(target, str) else socket.AF_INET',
  '        s = socket.socket(family)',
  '        s.settimeout(3)',
  '        try:',
  "            s.connect('\\0' + target if isinstance(target, str) else tuple(target))",
  "            result[name] = 'got ' + s.recv(5).decode()",
  '        except OSError as e:',
  '            result[name] = errno.errorcode.get(e.errno, type(e).__name__)',
  '        finally:',
  '            s.close()',
  '    return result',
);

let loopback: Listener;
let abstract: Listener;
let extra: Listener | undefined;

beforeAll(async () => {
  loopback = await listen({ host: '127.0.0.1' });
  abstract = await listen({ path: `\0${ABSTRACT}` });
  if (!isRoot) return;
  execFileSync('ip', ['link', 'add', `${VETH}a`, 'type', 'veth', 'peer', 'name', `${VETH}b`]);
  execFileSync('ip', ['addr', 'add', `${LOCAL_ADDRESS}/32`, 'dev', `${VETH}a`]);
  execFileSync('ip', ['link', 'set', `${VETH}a`, 'up']);
  execFileSync('ip', ['link', 'set', `${VETH}b`, 'up']);
  // Never probe an address that is not this machine's: without it, traffic would leave by the default route.
  const local = Object.values(networkInterfaces())
    .flat()
    .some((info) => info?.address === LOCAL_ADDRESS);
  if (!local) throw new Error(`the test interface ${VETH}a did not get ${LOCAL_ADDRESS}`);
  extra = await listen({ host: LOCAL_ADDRESS });
});

afterAll(async () => {
  for (const listener of [loopback, abstract, extra]) {
    if (listener) await new Promise((resolve) => listener.server.close(resolve));
  }
  if (isRoot) execFileSync('ip', ['link', 'del', `${VETH}a`], { stdio: 'ignore' }); // takes its peer along
});

async function probeFrom(runtime: ReturnType<typeof testRuntime>, targets: Record<string, unknown>) {
  const graph = chainGraph('net', [{ id: 'probe', code: CONNECT, network: true }]);
  const trace = await runtime.run({ poolKey: freshKey('net'), graph, input: targets as never, version: null });
  expect(trace.error).toBeNull();
  return trace.output as Record<string, string>;
}

describe('a node with network: true', () => {
  const runtime = testRuntime();
  afterAll(() => runtime.close());

  it("cannot reach the server's loopback, PostgreSQL's port or its abstract sockets", async () => {
    const before = [loopback.accepted, abstract.accepted];
    const out = await probeFrom(runtime, {
      server: ['127.0.0.1', loopback.port],
      postgres: ['127.0.0.1', 5432],
      // slirp4netns's gateway maps to the host's loopback unless --disable-host-loopback.
      gateway: ['10.0.2.2', loopback.port],
      abstract: ABSTRACT,
    });
    expect(out.server).toBe('ECONNREFUSED'); // its own loopback, where nothing listens
    expect(out.postgres).toBe('ECONNREFUSED');
    expect(out.gateway).toBe('EHOSTUNREACH'); // the egress filter's answer
    expect(out.abstract).toBe('ECONNREFUSED');
    expect([loopback.accepted, abstract.accepted]).toEqual(before);
  });

  it.runIf(isRoot)('cannot reach another address of this machine in a private range', async () => {
    const before = extra!.accepted;
    const out = await probeFrom(runtime, { extra: [LOCAL_ADDRESS, extra!.port] });
    expect(out.extra).toBe('EHOSTUNREACH');
    expect(extra!.accepted).toBe(before);
  });

  it.runIf(isRoot)('reaches a private address that PLINTH_NETWORK_ALLOW names', async () => {
    const { network } = runtimeOptionsFromEnv({ PATH: process.env.PATH, PLINTH_NETWORK_ALLOW: `${LOCAL_ADDRESS}/32` });
    const allowed = testRuntime({ network });
    try {
      const out = await probeFrom(allowed, {
        extra: [LOCAL_ADDRESS, extra!.port],
        server: ['10.0.2.2', loopback.port],
      });
      expect(out.extra).toBe('got hello');
      expect(out.server).toBe('EHOSTUNREACH');
    } finally {
      await allowed.close();
    }
  });
});
