// @vitest-environment node
/**
 * A node's requirements in the browser preview, for real: the Plinth server resolves them with
 * pip (in bubblewrap, against a package index on 127.0.0.1), and real Pyodide loads the
 * pure-Python wheels from the server, never from an index or a CDN.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadPyodide } from 'pyodide';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../../server/test/harness.ts';
import { makeDemoWheel, servePackageIndex, tempDir, type PackageIndex } from '../../../server/test/packageIndex.ts';
import { PythonSession } from './pythonSession.ts';
import { planRequirements } from './requirementsPlan.ts';
import { loadWheels } from './wheelLoader.ts';

const read = (relative: string) => readFileSync(fileURLToPath(new URL(relative, import.meta.url)), 'utf8');

let index: PackageIndex;
let server: TestServer;
let python: PythonSession;

beforeAll(async () => {
  const wheels = tempDir('wheels');
  makeDemoWheel(wheels);
  makeDemoWheel(wheels, { name: 'plinth-native-pkg', tag: 'cp311-cp311-linux_x86_64' });
  index = await servePackageIndex(wheels);
  server = await startTestServer({ PLINTH_PIP_INDEX_URL: index.url });
  const pyodide = await loadPyodide();
  python = PythonSession.install(pyodide, {
    runner: read('../../../sandbox-images/runner/plinth_runner.py'),
    bridge: read('./plinth_bridge.py'),
  });
}, 120_000);
afterAll(async () => {
  await server?.close();
  await index?.close();
});

const IMPORTS_DEMO = [
  'import plinth_demo_pkg, plinth_demo_pkg_extra_mod',
  'def process(data, ctx):',
  '    return [plinth_demo_pkg.greet(data), plinth_demo_pkg.VERSION, plinth_demo_pkg_extra_mod.FROM_PTH]',
].join('\n');

let runs = 0;
const ctx = () => ({ runId: `run-${++runs}`, graph: 'g', version: null });

describe('requirements in the browser preview', { timeout: 60_000 }, () => {
  it('loads a pure-Python requirement from the server, .pth files included', async () => {
    const before = index.requests.length;
    const plan = await planRequirements(['plinth-demo-pkg==1.0'], { baseUrl: server.url, token: server.token });
    expect(plan.notes).toEqual([]);
    expect(plan.load).toMatchObject([{ name: 'plinth-demo-pkg', version: '1.0', label: 'plinth-demo-pkg==1.0' }]);
    const fetched = index.requests.length;
    expect(fetched).toBeGreaterThan(before); // the server's pip asked the index; the browser never does
    expect(await loadWheels(python, plan.load, { baseUrl: server.url, token: server.token })).toEqual([]);
    expect(index.requests.length).toBe(fetched);

    const outcome = await python.runNode({ id: 'features', type: 'python', code: IMPORTS_DEMO }, 'ada', ctx());
    expect(outcome).toMatchObject({ ok: true, output: ['hello ada', '1.0', true] });
  });

  it('says which requirement is compiled and cannot load in the browser', async () => {
    const plan = await planRequirements(['plinth-native-pkg==1.0'], { baseUrl: server.url, token: server.token });
    expect(plan.load).toEqual([]);
    expect(plan.notes).toEqual([
      'plinth-native-pkg==1.0 could not be loaded in the browser preview: plinth-native-pkg 1.0 is a compiled package ' +
        '(plinth_native_pkg-1.0-cp311-cp311-linux_x86_64.whl), and the preview can load only pure-Python wheels ' +
        '(Pyodide needs WebAssembly builds, which this app does not ship). The server run is the reference.',
    ]);
  });

  it("passes on the server's reason when pip cannot install a requirement", async () => {
    const plan = await planRequirements(['nosuchpkg==1.0'], { baseUrl: server.url, token: server.token });
    expect(plan.load).toEqual([]);
    expect(plan.notes).toHaveLength(1);
    expect(plan.notes[0]).toMatch(
      /^nosuchpkg==1.0 could not be loaded in the browser preview: the server says: requirement "nosuchpkg==1.0" could not be installed: .*No matching distribution found for nosuchpkg==1.0\. The server run is the reference\.$/s,
    );
  });

  it('says so when the wheel cannot be fetched (no admin token)', async () => {
    const plan = await planRequirements(['plinth-demo-pkg==1.0'], { baseUrl: server.url, token: server.token });
    const fresh = PythonSession.install(await loadPyodide(), {
      runner: read('../../../sandbox-images/runner/plinth_runner.py'),
      bridge: read('./plinth_bridge.py'),
    });
    const notes = await loadWheels(fresh, plan.load, { baseUrl: server.url, token: null });
    expect(notes).toEqual([
      expect.stringMatching(
        /^plinth-demo-pkg==1.0 could not be loaded in the browser preview: the server answered 401 .* The server run is the reference\.$/,
      ),
    ]);
  }, 60_000);

  it('keeps one version of a package per browser Python and says so', async () => {
    const other = { url: '/unused', name: 'plinth-demo-pkg', version: '2.0', label: 'plinth-demo-pkg==2.0' };
    const notes = await loadWheels(python, [other], { baseUrl: server.url, token: server.token });
    expect(notes).toEqual([
      'plinth-demo-pkg==2.0 could not be loaded in the browser preview: plinth-demo-pkg 1.0 is already loaded for ' +
        'another node, and one browser Python holds one version of a package (reload the page to load 2.0). ' +
        'The server run is the reference.',
    ]);
  });
});
