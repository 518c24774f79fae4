import { chmodSync, copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PlinthError } from '@plinth/shared';
import { DEFAULT_RUNNER_PATH, describeSandbox, runtimeOptionsFromEnv } from '../src/runtime/index.ts';
import { chainGraph, freshKey, py, testRuntime } from './runtimeFixtures.ts';

const SERVER_SECRET = 'server-only-secret-4f9a';
const REPO = fileURLToPath(new URL('../..', import.meta.url));

// A secret in the server's own environment, set before any worker starts.
process.env.PLINTH_TEST_SERVER_SECRET = SERVER_SECRET;
const runtime = testRuntime();

let listener: Server;
let port = 0;
let accepted = 0;
beforeAll(async () => {
  listener = createServer((socket) => {
    accepted++;
    socket.end('hello');
  });
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
  port = (listener.address() as { port: number }).port;
});
afterAll(async () => {
  await runtime.close();
  await new Promise((resolve) => listener.close(resolve));
  delete process.env.PLINTH_TEST_SERVER_SECRET;
});

async function runProbe(name: string, code: string, input: unknown, network = false) {
  const graph = chainGraph(name, [{ id: 'probe', code, network }]);
  const trace = await runtime.run({ poolKey: freshKey(name), graph, input: input as never, version: null });
  expect(trace.error).toBeNull();
  return trace.output as Record<string, unknown>;
}

describe('the sandbox: what a worker cannot do', () => {
  it("cannot read the server's environment, not even through /proc/1/environ", async () => {
    const out = await runProbe(
      'environ',
      py(
        'import os',
        'def process(data, ctx):',
        '    def read(p):',
        '        try:',
        "            return open(p, 'rb').read().decode(errors='replace')",
        '        except OSError as e:',
        '            return type(e).__name__',
        "    return {'environ': dict(os.environ), 'pid1': read('/proc/1/environ'), 'self': read('/proc/self/environ')}",
      ),
      null,
    );
    expect(JSON.stringify(out)).not.toContain(SERVER_SECRET);
    expect(Object.keys(out.environ as object).sort()).toEqual([
      'HOME',
      'LANG',
      'PATH',
      'PWD',
      'PYTHONDONTWRITEBYTECODE',
      'PYTHONUNBUFFERED',
    ]);
    expect(out.pid1).not.toContain('PLINTH_TEST_SERVER_SECRET');
  });

  it("cannot open a socket to the server's machine", async () => {
    const before = accepted;
    const out = await runProbe(
      'socket',
      py(
        'import socket',
        'def process(port, ctx):',
        '    try:',
        "        s = socket.create_connection(('127.0.0.1', port), timeout=2)",
        "        return {'connected': True, 'got': s.recv(5).decode()}",
        '    except OSError as e:',
        "        return {'connected': False, 'error': type(e).__name__}",
      ),
      port,
    );
    expect(out.connected).toBe(false);
    expect(accepted).toBe(before);
  });

  it('cannot write outside its private /tmp', async () => {
    const targets = [
      '/usr/plinth-probe',
      '/work/plinth-probe',
      `${REPO}/plinth-probe`,
      `${homedir()}/plinth-probe`,
      '/etc/plinth-probe',
      '/plinth-probe',
    ];
    const out = await runProbe(
      'writes',
      py(
        'def process(paths, ctx):',
        '    result = {}',
        '    for path in paths:',
        '        try:',
        "            with open(path, 'w') as f:",
        "                f.write('x')",
        "            result[path] = 'written'",
        '        except OSError as e:',
        '            result[path] = type(e).__name__',
        '    return result',
      ),
      [...targets, '/tmp/scratch.txt'],
    );
    for (const target of targets) expect(out[target], target).not.toBe('written');
    expect(out['/tmp/scratch.txt']).toBe('written');
  });

  it('cannot see the server files it was not given', async () => {
    const out = await runProbe(
      'listing',
      py('import os', 'def process(paths, ctx):', '    return {p: os.path.exists(p) for p in paths}'),
      [REPO, homedir(), '/usr/bin/python3'],
    );
    expect(out).toEqual({ [REPO]: false, [homedir()]: false, '/usr/bin/python3': true });
  });
});

describe('runtimeOptionsFromEnv', () => {
  it('refuses to run without bwrap unless told to, and says what to do', () => {
    let thrown: unknown;
    try {
      runtimeOptionsFromEnv({ PATH: '/nonexistent' });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(PlinthError);
    expect((thrown as PlinthError).code).toBe('sandbox_unavailable');
    expect((thrown as PlinthError).message).toMatch(/apt-get install bubblewrap/);
    expect((thrown as PlinthError).message).toMatch(/PLINTH_UNSAFE_NO_SANDBOX=1/);
  });

  it('warns loudly when running unsandboxed, and the runtime still works', async () => {
    const warnings: string[] = [];
    const options = runtimeOptionsFromEnv({ PATH: '/nonexistent', PLINTH_UNSAFE_NO_SANDBOX: '1' }, (m) =>
      warnings.push(m),
    );
    expect(options.sandbox).toBe('none');
    expect(warnings.join('\n')).toMatch(/UNSANDBOXED/);
    const unsafe = testRuntime({ sandbox: 'none' });
    try {
      const graph = chainGraph('unsafe', [{ id: 'echo', code: py('def process(data, ctx):', '    return data') }]);
      expect((await unsafe.run({ poolKey: 'u', graph, input: [1, 'two'], version: null })).output).toEqual([1, 'two']);
    } finally {
      await unsafe.close();
    }
  });

  it('reports at start-up when no worker can start, naming the setting', () => {
    expect(() => runtimeOptionsFromEnv({ PATH: process.env.PATH, PLINTH_PYTHON: '/nonexistent/python3' })).toThrow(
      expect.objectContaining({ code: 'sandbox_unavailable', message: expect.stringContaining('PLINTH_PYTHON') }),
    );
  });

  it.runIf(process.getuid?.() === 0)('works when the checkout is in a directory only root can read', async () => {
    const privateDir = mkdtempSync(join(tmpdir(), 'plinth-private-'));
    chmodSync(privateDir, 0o700);
    const runnerPath = join(privateDir, 'plinth_runner.py');
    copyFileSync(DEFAULT_RUNNER_PATH, runnerPath);
    const runtime = testRuntime({ runnerPath });
    try {
      const graph = chainGraph('private', [
        { id: 'echo', code: py('import os', 'def process(data, ctx):', '    return os.getuid()') },
      ]);
      const trace = await runtime.run({ poolKey: 'p', graph, input: null, version: null });
      expect(trace.error).toBeNull();
      expect(trace.output).not.toBe(0); // never root inside the sandbox's user namespace mapping of nobody
    } finally {
      await runtime.close();
      rmSync(privateDir, { recursive: true, force: true });
    }
  });

  it('reports a missing runner file at start-up, naming the setting', () => {
    expect(() =>
      runtimeOptionsFromEnv({ PATH: process.env.PATH, PLINTH_RUNNER_PATH: '/nonexistent/runner.py' }),
    ).toThrow(
      expect.objectContaining({ code: 'sandbox_unavailable', message: expect.stringContaining('PLINTH_RUNNER_PATH') }),
    );
  });

  it('says in one line which limits are in force, for the start-up banner', () => {
    const line = describeSandbox(
      runtimeOptionsFromEnv({ PATH: process.env.PATH, PLINTH_NETWORK_ALLOW: '10.9.0.0/16' }),
    );
    expect(line).toMatch(
      /^sandbox: bwrap · seccomp: \d+ syscalls denied · network: slirp4netns, egress filtered \(allow: 10\.9\.0\.0\/16\) · cgroups: (v2 under \S+|not available \(.+\)) · rlimits: 1024 MB memory, 600 s CPU, 32 processes, 64 MiB files, \/tmp 256 MiB, \/dev\/shm 64 MiB$/,
    );
  });

  it('fails a node with network plainly when its network cannot be set up', async () => {
    const reason = 'slirp4netns not found: nodes with "network": true cannot run (install slirp4netns)';
    const broken = testRuntime({ network: { available: false, reason, allow: [] } });
    try {
      const graph = chainGraph('nonet', [
        { id: 'fetch', code: py('def process(data, ctx):', '    return 1'), network: true },
      ]);
      const trace = await broken.run({ poolKey: 'n', graph, input: null, version: null });
      expect(trace.error).toMatchObject({ nodeId: 'fetch', code: 'worker_crashed' });
      expect(trace.error?.message, trace.error?.message).toContain(reason);
    } finally {
      await broken.close();
    }
  });

  it('names a bad setting', () => {
    expect(() => runtimeOptionsFromEnv({ PATH: process.env.PATH, PLINTH_WORKERS_PER_POOL: 'many' })).toThrow(
      /PLINTH_WORKERS_PER_POOL/,
    );
  });
});
