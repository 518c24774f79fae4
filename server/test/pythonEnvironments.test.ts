/**
 * Virtualenvs for nodes' requirements, for real: pip in bubblewrap against a package index
 * served on 127.0.0.1, and the venv imported by a sandboxed worker running the real runner.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, closeSync, mkdirSync, openSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PlinthError } from '@plinth/shared';
import { environmentSandbox, VENV_MOUNT } from '../src/python/environmentSandbox.ts';
import { PythonEnvironments, type PythonEnvironmentsOptions } from '../src/python/environments.ts';
import { encodeFrame } from '../src/runtime/process/frames.ts';
import { runtimeOptionsFromEnv, type RuntimeOptions } from '../src/runtime/process/runtimeOptions.ts';
import { workerCommand } from '../src/runtime/process/sandboxCommand.ts';
import {
  closedPort,
  makeDemoWheel,
  servePackageIndex,
  silentIndex,
  tempDir,
  type PackageIndex,
} from './packageIndex.ts';
import { PROTOCOL_VERSION } from '../src/runtime/protocol.ts';
import { chainGraph, py } from './runtimeFixtures.ts';

const DEMO = 'plinth-demo-pkg==1.0';
let runtime: RuntimeOptions;
let index: PackageIndex;

beforeAll(async () => {
  runtime = runtimeOptionsFromEnv({ PATH: process.env.PATH }, () => undefined);
  const wheels = tempDir('wheels');
  makeDemoWheel(wheels);
  index = await servePackageIndex(wheels);
});
afterAll(() => index.close());

function environments(overrides: Partial<PythonEnvironmentsOptions> = {}): PythonEnvironments {
  return new PythonEnvironments({ dataDir: tempDir('data'), runtime, indexUrl: index.url, ...overrides });
}

/** Loads one node in a sandboxed worker with the venv mounted, calls it once, returns its reply. */
function runInWorker(env: Awaited<ReturnType<PythonEnvironments['ensure']>>, code: string): unknown {
  const command = workerCommand(runtime, { network: false, ...environmentSandbox(env, runtime) });
  const frames = Buffer.concat([
    encodeFrame({ op: 'load', protocol: PROTOCOL_VERSION, nodes: [{ id: 'features', code }], follow: {} }),
    encodeFrame({ op: 'call', id: 1, run: 'r', node: 'features', data: 'ada', ctx: { run_id: 'r', graph: 'g' } }),
  ]);
  // The sandbox's own files (its seccomp filter) go in as fd 3, 4, ..., as spawnWorker hands them.
  const fds = command.files.map((file) => openSync(file, 'r'));
  const result = spawnSync(command.file, command.args, {
    input: frames,
    env: command.env,
    cwd: '/',
    timeout: 30_000,
    stdio: ['pipe', 'pipe', 'pipe', ...fds],
    ...(command.uid !== undefined ? { uid: command.uid, gid: command.gid } : {}),
  });
  for (const fd of fds) closeSync(fd);
  const out = result.stdout;
  const first = out.readUInt32BE(0); // the load's {"ok": true}
  const second = out.subarray(4 + first);
  return JSON.parse(second.subarray(4, 4 + second.readUInt32BE(0)).toString('utf8'));
}

describe('PythonEnvironments', () => {
  it('installs a requirement into a venv and reuses it without running pip again', async () => {
    const envs = environments();
    const env = await envs.ensure([DEMO]);
    expect(env).not.toBeNull();
    const metadata = JSON.parse(readFileSync(path.join(env!.root, 'plinth-environment.json'), 'utf8')) as {
      installed: string[];
    };
    expect(metadata.installed).toContain('plinth-demo-pkg==1.0');
    expect(readdirSync(env!.sitePackages)).toContain('plinth_demo_pkg');

    const asked = index.requests.length;
    const again = await envs.ensure(['  plinth-demo-pkg==1.0  # the demo', '', DEMO]);
    expect(again).toEqual(env);
    const afterRestart = await new PythonEnvironments({
      dataDir: path.dirname(path.dirname(env!.root)),
      runtime,
      indexUrl: index.url,
    }).ensure([DEMO]);
    expect(afterRestart).toEqual(env);
    expect(envs.builds).toBe(1);
    expect(index.requests.length).toBe(asked);
  });

  it('builds once for concurrent callers of the same list', async () => {
    const envs = environments();
    const all = await Promise.all([envs.ensure([DEMO]), envs.ensure([DEMO]), envs.ensure([` ${DEMO}`])]);
    expect(new Set(all.map((env) => env?.root)).size).toBe(1);
    expect(envs.builds).toBe(1);
  });

  it('answers null for a node without requirements', async () => {
    expect(await environments().ensure(['', '# nothing'])).toBeNull();
  });

  it('lets a sandboxed worker import the package, .pth files included', async () => {
    const env = await environments().ensure([DEMO]);
    const code = py(
      'import plinth_demo_pkg, plinth_demo_pkg_extra_mod',
      'def process(data, ctx):',
      '    return [plinth_demo_pkg.greet(data), plinth_demo_pkg.__file__, plinth_demo_pkg_extra_mod.FROM_PTH]',
    );
    const reply = runInWorker(env, code) as { ok: boolean; output: [string, string, boolean] };
    expect(reply).toMatchObject({ ok: true });
    const [greeting, file, fromPth] = reply.output;
    expect(greeting).toBe('hello ada');
    expect(file.startsWith(runtime.sandbox === 'none' ? env!.root : VENV_MOUNT)).toBe(true);
    expect(fromPth).toBe(true);
  });

  it('a worker without the venv cannot import the package', () => {
    const reply = runInWorker(null, py('import plinth_demo_pkg', 'def process(data, ctx):', '    return 1'));
    expect(reply).toMatchObject({ ok: false, error: { message: expect.stringContaining('plinth_demo_pkg') } });
  });

  it("names the node, the requirement and pip's own error for a package that does not exist", async () => {
    const envs = environments();
    const graph = chainGraph('shop', [
      { id: 'clean', code: py('def process(data, ctx):', '    return data') },
      { id: 'features', code: py('def process(data, ctx):', '    return data') },
    ]);
    graph.nodes.forEach((node) => {
      if (node.id === 'features' && 'requirements' in node) node.requirements = [DEMO, 'nosuchpkg==1.0'];
    });
    const error = await envs.prepareGraph(graph).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(PlinthError);
    const plinth = error as PlinthError;
    expect(plinth.code).toBe('requirements_failed');
    expect(plinth.status).toBe(422);
    expect(plinth.message).toMatch(/^node 'features' requirement "nosuchpkg==1.0" could not be installed: ERROR: /);
    expect(plinth.message).toContain('ERROR: No matching distribution found for nosuchpkg==1.0');
    expect(plinth.details).toMatchObject({
      nodeId: 'features',
      problems: [{ nodeId: 'features', path: 'nodes[2].requirements' }],
    });
    // Nothing half-built is left looking ready, and the next publish tries again.
    expect(readdirSync(envs.venvsDir)).toEqual([]);
    await expect(envs.prepareGraph(graph)).rejects.toThrow(/nosuchpkg/);
    expect(envs.builds).toBe(2);
  });

  it('gives every code node its venv, shared by nodes with the same list', async () => {
    const envs = environments();
    const graph = chainGraph('two', [
      { id: 'a', code: py('def process(data, ctx):', '    return data') },
      { id: 'b', code: py('def process(data, ctx):', '    return data') },
      { id: 'c', code: py('def process(data, ctx):', '    return data') },
    ]);
    graph.nodes.forEach((node) => {
      if ((node.id === 'a' || node.id === 'b') && 'requirements' in node) node.requirements = [DEMO];
    });
    const prepared = await envs.prepareGraph(graph);
    expect(prepared.get('a')).toEqual(prepared.get('b'));
    expect(prepared.get('a')).not.toBeNull();
    expect(prepared.get('c')).toBeNull();
    expect(envs.builds).toBe(1);
  });

  it("fails in seconds with pip's message when the index cannot be reached", { timeout: 60_000 }, async () => {
    const url = `http://127.0.0.1:${await closedPort()}/simple`;
    const envs = environments({ indexUrl: url, timeoutMs: 120_000 });
    // ensure() knows no nodes: it names the requirement; prepareGraph adds the node.
    await expect(envs.ensure([DEMO])).rejects.toThrow(/^requirement "plinth-demo-pkg==1.0" could not be installed: /);
    const graph = chainGraph('offline', [{ id: 'features', code: py('def process(data, ctx):', '    return data') }]);
    for (const node of graph.nodes) if ('requirements' in node) node.requirements = [DEMO];
    await expect(envs.prepareGraph(graph)).rejects.toThrow(
      new RegExp(
        `^node 'features' requirement "plinth-demo-pkg==1.0" could not be installed: ERROR: .*` +
          `could not be reached: .*Connection refused`,
        's',
      ),
    );
  });

  it('stops a build at PLINTH_PIP_TIMEOUT_MS when the index never answers', { timeout: 60_000 }, async () => {
    const silent = await silentIndex();
    try {
      const envs = environments({ indexUrl: silent.url, timeoutMs: 2_000 });
      const graph = chainGraph('slow', [{ id: 'features', code: py('def process(data, ctx):', '    return data') }]);
      for (const node of graph.nodes) if ('requirements' in node) node.requirements = [DEMO];
      await expect(envs.prepareGraph(graph)).rejects.toThrow(/PLINTH_PIP_TIMEOUT_MS=2000 ms/);
      expect(readdirSync(envs.venvsDir)).toEqual([]);
    } finally {
      await silent.close();
    }
  });

  // Under a root server sandboxes run as nobody, who must be able to walk to the venvs.
  it.runIf(process.getuid?.() === 0)('says which directory keeps sandboxes (as nobody) from the venvs', async () => {
    const parent = tempDir('private'); // 0700, owned by root
    const dataDir = path.join(parent, 'data');
    mkdirSync(dataDir, { mode: 0o700 });
    const envs = environments({ dataDir });
    await expect(envs.ensure([DEMO])).rejects.toThrow(
      new RegExp(`run as nobody and cannot pass through ${parent}\\. Set PLINTH_DATA_DIR`),
    );
    chmodSync(parent, 0o711);
    expect(await envs.ensure([DEMO])).not.toBeNull();
  });
});
