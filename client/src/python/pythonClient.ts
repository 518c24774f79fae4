/**
 * The main thread's handle on in-browser Python: one lazily started Pyodide
 * worker, shared by node previews, syntax checks and whole-graph browser runs.
 */
import { proxy, wrap, type Remote } from 'comlink';
import { DEFAULT_NODE_TIMEOUT_MS } from '@plinth/shared';
import type { Json, NodeContext, NodeOutcome } from '@plinth/shared';
import type { PythonStatus, PythonWorkerApi, RunnableNode, SyntaxProblem } from './protocol.ts';
import { TOKEN_STORAGE_KEY } from '../api/token.ts';
import { createBrowserRunner, type BrowserRunner } from './browserRunner.ts';
import { RequirementLoader, withRequirementNotes } from './requirementLoader.ts';

export type { PythonStatus, SyntaxProblem } from './protocol.ts';
export type { BrowserRunner } from './browserRunner.ts';

/** Where the build (and `vite dev`) serve Pyodide's files. */
export const PYODIDE_INDEX_URL = '/pyodide/';
/** How long a Stop waits for KeyboardInterrupt before it terminates the worker. */
export const STOP_GRACE_MS = 1000;

/** A node that can be previewed: code plus, optionally, its timeout and pip requirements. */
export type PreviewNode = RunnableNode & { timeoutMs?: number; requirements?: readonly string[] };

export interface PreviewResult {
  outcome: NodeOutcome;
  durationMs: number;
}

type StopReason = 'stopped' | 'timeout';

interface ActiveRun {
  node: PreviewNode;
  finish: (outcome: NodeOutcome) => void;
  reason: StopReason | null;
}

export class PythonClient {
  private worker: Worker | null = null;
  private api: Remote<PythonWorkerApi> | null = null;
  private readonly interruptBuffer: Int32Array | null;
  private readonly listeners = new Set<(status: PythonStatus) => void>();
  private active: ActiveRun | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  /** Bumped by every Stop; runs queued before it do not start. */
  private stopGeneration = 0;
  /** Called by the next Stop: what waits for Python to load gives up at once. */
  private readonly stopWaiters = new Set<() => void>();
  private loadFailed = false;
  private currentStatus: PythonStatus = { state: 'idle' };
  private readonly requirements = new RequirementLoader(
    () => globalThis.sessionStorage?.getItem(TOKEN_STORAGE_KEY) ?? null,
  );

  constructor() {
    // The interrupt buffer needs SharedArrayBuffer, which needs cross-origin isolation (COOP/COEP).
    const isolated = typeof SharedArrayBuffer !== 'undefined' && globalThis.crossOriginIsolated === true;
    this.interruptBuffer = isolated ? new Int32Array(new SharedArrayBuffer(4)) : null;
  }

  get status(): PythonStatus {
    return this.currentStatus;
  }

  /** Whether a Stop can interrupt Python gently (otherwise it restarts the worker). */
  get canInterrupt(): boolean {
    return this.interruptBuffer !== null;
  }

  get isRunning(): boolean {
    return this.active !== null;
  }

  onStatus(listener: (status: PythonStatus) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Start loading Python now (it also starts on first use). */
  load(): Promise<void> {
    return this.start().ready();
  }

  async checkSyntax(code: string): Promise<SyntaxProblem[]> {
    return this.start().checkSyntax(code);
  }

  /**
   * Load Python and what the browser can of a node's requirements now, so that a run's first
   * call of the node takes its own time only. Failures show when the node runs.
   */
  async prepare(node: Pick<PreviewNode, 'requirements'>): Promise<void> {
    const api = this.start();
    try {
      await api.ready();
    } catch {
      return;
    }
    await this.requirements.load(api, node.requirements ?? []);
  }

  /** Run one node once with `data`, in a run of its own. */
  async preview(node: PreviewNode, data: Json, graph = 'preview'): Promise<PreviewResult> {
    const ctx: NodeContext = { runId: `preview-${crypto.randomUUID()}`, graph, version: null };
    // The duration shown is the node's, not Python's or its wheels' loading; a Stop meanwhile ends it at once.
    const generation = this.stopGeneration;
    const prepared = await this.untilStopped(this.prepare(node));
    if (!prepared || generation !== this.stopGeneration) return { outcome: STOPPED_BEFORE_START, durationMs: 0 };
    const started = performance.now();
    const outcome = await this.runCode(node, data, ctx);
    const durationMs = Math.round(performance.now() - started);
    void this.api?.endRun(ctx.runId).catch(() => undefined);
    return { outcome, durationMs };
  }

  /** Resolves true when `work` is done, or false as soon as Stop is pressed (the work goes on unobserved). */
  private untilStopped(work: Promise<unknown>): Promise<boolean> {
    let waiter: () => void = () => undefined;
    const stopped = new Promise<boolean>((resolve) => {
      waiter = () => resolve(false);
      this.stopWaiters.add(waiter);
    });
    return Promise.race([work.then(() => true), stopped]).finally(() => this.stopWaiters.delete(waiter));
  }

  /** Call a node's `process` within run `ctx.runId`, under the node's timeout. */
  runCode(node: PreviewNode, data: Json, ctx: NodeContext): Promise<NodeOutcome> {
    // One node at a time: the worker runs one anyway, and a node's timeout starts when it does.
    const generation = this.stopGeneration;
    const turn = this.queue.then(() =>
      // A Stop pressed while this run waited (for Python to load, or its turn) cancels it.
      generation === this.stopGeneration ? this.runNow(node, data, ctx, generation) : STOPPED_BEFORE_START,
    );
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  private async runNow(node: PreviewNode, data: Json, ctx: NodeContext, generation: number): Promise<NodeOutcome> {
    const api = this.start();
    try {
      await api.ready();
    } catch (err) {
      // A node outcome, not an exception: runGraph reports it on the node like any other failure.
      const message = `Python could not load in this browser: ${err instanceof Error ? err.message : String(err)}`;
      return { ok: false, error: { code: 'worker_crashed', message }, logs: [] };
    }
    if (generation !== this.stopGeneration) return STOPPED_BEFORE_START;
    // Before the node's timeout starts: loading wheels is not the node's own time.
    const notes = await this.requirements.load(api, node.requirements ?? []);
    if (generation !== this.stopGeneration) return STOPPED_BEFORE_START;
    const outcome = await this.callNode(api, node, data, ctx);
    return withRequirementNotes(outcome, notes);
  }

  private callNode(
    api: Remote<PythonWorkerApi>,
    node: PreviewNode,
    data: Json,
    ctx: NodeContext,
  ): Promise<NodeOutcome> {
    return new Promise<NodeOutcome>((resolve) => {
      let settled = false;
      const timeoutMs = node.timeoutMs ?? DEFAULT_NODE_TIMEOUT_MS;
      const timer = setTimeout(() => void this.stop('timeout'), timeoutMs);
      const run: ActiveRun = {
        node,
        reason: null,
        finish: (outcome) => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          if (this.active === run) this.active = null;
          // A crashed interpreter (say, a fatal Pyodide error) is not reused: the next call gets a fresh one.
          if (!outcome.ok && outcome.error.code === 'worker_crashed' && this.api === api) this.restartWorker();
          resolve(run.reason ? stoppedOutcome(run.reason, node, timeoutMs, outcome) : outcome);
        },
      };
      this.active = run;
      // `run.finish` is looked up when the answer comes: stop() wraps it to learn when the run ended.
      api.runNode({ id: node.id, type: node.type, code: node.code }, data, ctx).then(
        (outcome) => run.finish(outcome),
        (err: unknown) => run.finish(crashedOutcome(err)),
      );
    });
  }

  async endRun(runId: string): Promise<void> {
    await this.api?.endRun(runId);
  }

  /**
   * Stop the running node: KeyboardInterrupt through the interrupt buffer, and if
   * Python has not let go after {@link STOP_GRACE_MS} (or cannot be interrupted),
   * terminate the worker and start a fresh one.
   */
  async stop(reason: StopReason = 'stopped'): Promise<void> {
    if (reason === 'stopped') {
      this.stopGeneration += 1;
      for (const waiter of [...this.stopWaiters]) waiter();
    }
    const run = this.active;
    if (!run) return;
    run.reason ??= reason;
    const ended = new Promise<void>((resolve) => {
      const finish = run.finish;
      run.finish = (outcome) => {
        finish(outcome);
        resolve();
      };
    });
    if (this.interruptBuffer) {
      Atomics.store(this.interruptBuffer, 0, 2); // 2 = SIGINT
      const gentle = await Promise.race([ended.then(() => true), delay(STOP_GRACE_MS).then(() => false)]);
      if (gentle) return;
    }
    this.restartWorker();
    const message = this.interruptBuffer
      ? 'Stopped: Python did not answer the interrupt, so it was restarted'
      : 'Stopped: Python was restarted (this page is not cross-origin isolated, so it cannot be interrupted gently)';
    run.finish({ ok: false, error: { code: 'node_failed', message, type: 'KeyboardInterrupt' }, logs: [] });
  }

  /** Same as `stop()`: the name the editor's Stop button uses. */
  interrupt(): Promise<void> {
    return this.stop('stopped');
  }

  /** A NodeRunner for `runGraph` in the browser: code nodes here, model nodes on the server. */
  createBrowserRunner(): BrowserRunner {
    return createBrowserRunner(this);
  }

  private start(): Remote<PythonWorkerApi> {
    if (this.api && !this.loadFailed) return this.api;
    // After a failed load (say, the server was briefly down), the next use tries again in a fresh worker.
    this.worker?.terminate();
    this.loadFailed = false;
    const worker = new Worker(new URL('./pyodide.worker.ts', import.meta.url), {
      type: 'module',
      name: 'plinth-python',
    });
    const api = wrap<PythonWorkerApi>(worker);
    this.worker = worker;
    this.api = api;
    const onStatus = proxy((status: PythonStatus) => {
      if (this.api === api) this.setStatus(status);
    });
    const options = this.interruptBuffer
      ? { indexURL: PYODIDE_INDEX_URL, interruptBuffer: this.interruptBuffer }
      : { indexURL: PYODIDE_INDEX_URL };
    // Failures arrive as an 'error' status and from ready().
    api.init(options, onStatus).catch(() => {
      if (this.api === api) this.loadFailed = true;
    });
    worker.addEventListener('error', (event) => {
      if (this.api !== api) return;
      const message = `Python worker failed: ${event.message}`;
      this.setStatus({ state: 'error', message });
      // comlink will never answer a call the dead worker held: end it here.
      this.active?.finish({ ok: false, error: { code: 'worker_crashed', message }, logs: [] });
    });
    return api;
  }

  private restartWorker(): void {
    this.worker?.terminate();
    this.worker = null;
    this.api = null;
    this.setStatus({ state: 'idle' });
    this.start();
  }

  private setStatus(status: PythonStatus): void {
    this.currentStatus = status;
    for (const listener of this.listeners) listener(status);
  }
}

function stoppedOutcome(reason: StopReason, node: PreviewNode, timeoutMs: number, outcome: NodeOutcome): NodeOutcome {
  // A Stop shows as the bridge reports it ("Stopped: ... KeyboardInterrupt"), or the run finished first.
  if (reason === 'stopped' || outcome.ok || outcome.error.type !== 'KeyboardInterrupt') return outcome;
  const { traceback, line } = outcome.error;
  return {
    ok: false,
    error: {
      code: 'node_timeout',
      message: `Node '${node.id}' timed out after ${timeoutMs} ms (its timeoutMs setting)`,
      ...(traceback === undefined ? {} : { traceback }),
      ...(line === undefined ? {} : { line }),
    },
    logs: outcome.logs,
  };
}

const STOPPED_BEFORE_START: NodeOutcome = {
  ok: false,
  error: { code: 'node_failed', message: 'Stopped before it started', type: 'KeyboardInterrupt' },
  logs: [],
};

function crashedOutcome(err: unknown): NodeOutcome {
  const message = err instanceof Error ? err.message : String(err);
  return { ok: false, error: { code: 'worker_crashed', message: `The Python worker failed: ${message}` }, logs: [] };
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

let client: PythonClient | null = null;

/** The one in-browser Python of this page. Nothing loads until it is first used. */
export function getPythonClient(): PythonClient {
  client ??= new PythonClient();
  return client;
}
