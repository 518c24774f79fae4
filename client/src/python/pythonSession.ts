/**
 * Python inside one Pyodide interpreter: the shared node runner plus the
 * browser glue (`plinth_bridge.py`). Free of worker plumbing, so the same code
 * runs in the Web Worker and, under Vitest, in Node against real Pyodide.
 */
import type { Json, NodeContext, NodeOutcome } from '@plinth/shared';
import type { PyodideInterface } from 'pyodide';
import type { PyProxy } from 'pyodide/ffi';
import type { RunnableNode, SyntaxProblem, WheelToLoad } from './protocol.ts';

const PLINTH_DIR = '/plinth';

export interface PythonSources {
  /** sandbox-images/runner/plinth_runner.py, the runner the server uses too. */
  runner: string;
  /** client/src/python/plinth_bridge.py */
  bridge: string;
}

type BridgeFunction = ((...args: unknown[]) => unknown) & PyProxy;

export class PythonSession {
  private readonly checkSyntaxFn: BridgeFunction;
  private readonly runNodeFn: BridgeFunction;
  private readonly endRunFn: BridgeFunction;
  /** Distribution name → version of the wheels loaded so far. */
  private readonly wheels = new Map<string, string>();
  private sitePackagesDir: string | null = null;

  private constructor(
    private readonly pyodide: PyodideInterface,
    bridge: PyProxy & Record<string, unknown>,
    private readonly interruptBuffer: Int32Array | undefined,
  ) {
    this.checkSyntaxFn = bridge.check_syntax as BridgeFunction;
    this.runNodeFn = bridge.run_node as BridgeFunction;
    this.endRunFn = bridge.end_run as BridgeFunction;
  }

  /** Write the runner and bridge into Pyodide's file system and import them. */
  static install(pyodide: PyodideInterface, sources: PythonSources, interruptBuffer?: Int32Array): PythonSession {
    pyodide.FS.mkdirTree(PLINTH_DIR);
    pyodide.FS.writeFile(`${PLINTH_DIR}/plinth_runner.py`, sources.runner);
    pyodide.FS.writeFile(`${PLINTH_DIR}/plinth_bridge.py`, sources.bridge);
    pyodide.runPython(
      `import sys\nif ${JSON.stringify(PLINTH_DIR)} not in sys.path: sys.path.insert(0, ${JSON.stringify(PLINTH_DIR)})`,
    );
    const bridge = pyodide.pyimport('plinth_bridge') as PyProxy & Record<string, unknown>;
    if (interruptBuffer) pyodide.setInterruptBuffer(interruptBuffer);
    return new PythonSession(pyodide, bridge, interruptBuffer);
  }

  checkSyntax(code: string): SyntaxProblem[] {
    return JSON.parse(this.checkSyntaxFn(code) as string) as SyntaxProblem[];
  }

  async runNode(node: RunnableNode, data: Json, ctx: NodeContext): Promise<NodeOutcome> {
    // A Stop pressed after the previous run ended must not hit this one.
    if (this.interruptBuffer) Atomics.store(this.interruptBuffer, 0, 0);
    const pyCtx = { run_id: ctx.runId, graph: ctx.graph, version: ctx.version, secrets: {} };
    try {
      const answer = await (this.runNodeFn(
        node.id,
        node.code,
        JSON.stringify(data),
        JSON.stringify(pyCtx),
      ) as Promise<string>);
      return JSON.parse(answer) as NodeOutcome;
    } catch (err) {
      return crashOutcome(err);
    }
  }

  /** The version of a distribution loaded from a wheel, if any. */
  loadedVersion(name: string): string | undefined {
    return this.wheels.get(name);
  }

  /** Unpack a pure-Python wheel into site-packages (a wheel is a zip laid out for exactly that). */
  installWheel(wheel: Pick<WheelToLoad, 'name' | 'version'>, bytes: Uint8Array): void {
    this.sitePackagesDir ??= String(this.pyodide.runPython('import site\nsite.getsitepackages()[0]'));
    this.pyodide.unpackArchive(bytes, 'wheel', { extractDir: this.sitePackagesDir });
    this.wheels.set(wheel.name, wheel.version);
  }

  /** After installing: honour new .pth files and let the import system see the new modules. */
  refreshSitePackages(): void {
    if (this.sitePackagesDir === null) return;
    this.pyodide.runPython(
      `import importlib, site\nsite.addsitedir(${JSON.stringify(this.sitePackagesDir)})\nimportlib.invalidate_caches()`,
    );
  }

  endRun(runId: string): void {
    try {
      this.endRunFn(runId);
    } catch {
      // Forgetting a run that was never started is not an error worth surfacing.
    }
  }

  get version(): string {
    return this.pyodide.version;
  }
}

/** Something went wrong outside the node's own code (the bridge or the runner itself). */
function crashOutcome(err: unknown): NodeOutcome {
  const text = err instanceof Error ? err.message : String(err);
  const type = /^(\w+(?:Error|Exception|Interrupt))\b/m.exec(text.trim().split('\n').at(-1) ?? '')?.[1];
  return {
    ok: false,
    error: { code: 'worker_crashed', message: lastLine(text), ...(type ? { type } : {}), traceback: text },
    logs: [],
  };
}

function lastLine(text: string): string {
  const lines = text.trim().split('\n');
  return lines.at(-1) ?? text;
}
