import { nextAhead, type ExecutionPlan, type Json, type NodeOutcome } from '@plinth/shared';
import { encodeFrame, encodeFrames } from '../process/frames.ts';
import { ProcessStartError, type PooledProcess } from '../process/ProcessPool.ts';
import { SandboxProcess, type ProcessSettings } from '../process/SandboxProcess.ts';
import {
  PROTOCOL_VERSION,
  type CallFrame,
  type CallReply,
  type LoadFrame,
  type LoadReply,
  type WireContext,
} from '../protocol.ts';

/** A node's result as a worker reports it: the node outcome, and `ctx.state` when asked for. */
export type WorkerOutcome = NodeOutcome & { state?: Json };

export interface NodeWorkerSettings {
  process: ProcessSettings;
  /** The code nodes of this worker group. */
  nodes: { id: string; code: string }[];
  /** What a call may run ahead (`followTable` of the shared plan, this group's part). */
  follow: LoadFrame['follow'];
  /** Budget for the interpreter to start and every node's module-level code to run. */
  loadTimeoutMs: number;
}

/** One call of a node, as `NodeWorker.call` takes it. */
export interface NodeCall {
  nodeId: string;
  data: Json;
  runId: string;
  timeoutMs: number;
  /** The run's context, on the run's first call to this worker. */
  ctx?: WireContext;
  /** Run ahead by this plan: the worker goes on to the planned successors (`takeAhead`). */
  plan?: ExecutionPlan | null;
  /** Replace the run's `ctx.state` first (nodes in another worker group changed it). */
  state?: Json;
  /** Send `ctx.state` back with the reply. */
  wantState?: boolean;
}

/** One node's result that the worker owes us: the called node, or one it ran ahead. */
interface Step {
  callId: number;
  nodeId: string;
  input: Json;
  timeoutMs: number;
  resolve: (outcome: WorkerOutcome) => void;
  plan: ExecutionPlan | null;
}

/**
 * The graph-node protocol over one sandboxed process: load a worker group's nodes once, then call
 * them one at a time, each with its own deadline, after which the whole sandbox is killed.
 */
export class NodeWorker implements PooledProcess {
  private readonly process: SandboxProcess;
  private readonly queue: { step: Step; frame: string }[] = [];
  private current: Step | null = null;
  /** Results of nodes run ahead, in the order the executor will ask for them. */
  private ahead: { nodeId: string; outcome: Promise<WorkerOutcome> }[] = [];
  /** Runs whose `end` frame rides along with the next call (one pipe write per run, not two). */
  private pendingEnds: string[] = [];
  private nextId = 1;
  /** Set when the worker has used most of its CPU-time budget: replace it after this run. */
  retire = false;

  private constructor(settings: NodeWorkerSettings) {
    this.process = new SandboxProcess(settings.process);
    this.process.onFrame((message) => this.onReply(message as CallReply));
    this.process.onOversize((bytes) => this.onOversize(bytes, settings.process.maxFrameBytes));
    this.process.onExit((how) => this.onGone(how));
  }

  /** Starts a worker and loads its nodes; resolves once it answers, rejects with a ProcessStartError. */
  static start(settings: NodeWorkerSettings): Promise<NodeWorker> {
    const worker = new NodeWorker(settings);
    const { process } = worker;
    return new Promise((resolve, reject) => {
      let settled = false;
      const fail = (error: ProcessStartError) => {
        if (settled) return;
        settled = true;
        process.kill('was stopped: it could not load its nodes');
        reject(error);
      };
      process.setDeadline(settings.loadTimeoutMs, () =>
        fail(
          new ProcessStartError(
            'node_timeout',
            `the graph's module-level code (imports and set-up outside process) did not finish within ` +
              `${settings.loadTimeoutMs} ms (PLINTH_WORKER_START_MS plus the sum of its code nodes' timeoutMs)`,
          ),
        ),
      );
      process.onExit((how) => {
        const said = process.launcherSaid;
        fail(
          new ProcessStartError(
            'worker_crashed',
            said ? `its sandbox could not be set up: ${said}` : `the Python worker ${how} while loading the nodes`,
          ),
        );
      });
      process.onFrame((message) => {
        process.clearDeadline();
        const reply = message as LoadReply;
        if (reply.ok && reply.protocol === PROTOCOL_VERSION) {
          settled = true;
          process.started();
          process.onFrame((m) => worker.onReply(m as CallReply));
          resolve(worker);
          return;
        }
        const said = reply.error?.message ?? `it speaks protocol ${reply.protocol ?? 1}`;
        fail(
          new ProcessStartError(
            'worker_crashed',
            `the node runner does not speak this server's protocol ${PROTOCOL_VERSION} (${said}); ` +
              'PLINTH_RUNNER_PATH points at a runner of another Plinth version',
          ),
        );
      });
      const load: LoadFrame = {
        op: 'load',
        protocol: PROTOCOL_VERSION,
        nodes: settings.nodes,
        follow: settings.follow,
      };
      process.send(encodeFrame(load));
    });
  }

  get usable(): boolean {
    return this.process.usable;
  }

  get startedAt(): number {
    return this.process.startedAt;
  }

  get pid(): number | undefined {
    return this.process.pid;
  }

  onExit(listener: () => void): void {
    this.process.onExit(() => listener());
  }

  kill(reason: string): void {
    this.process.kill(reason);
  }

  /** Calls a node; with `plan`, the worker goes on to the planned successors (see `takeAhead`). */
  call(call: NodeCall): Promise<WorkerOutcome> {
    return new Promise((resolve) => {
      if (!this.process.alive) {
        resolve(
          crashed(`the worker for node '${call.nodeId}' had already stopped (${this.process.ending ?? 'exited'})`),
        );
        return;
      }
      const id = this.nextId++;
      const frame: CallFrame = { op: 'call', id, run: call.runId, node: call.nodeId, data: call.data };
      if (call.ctx !== undefined) frame.ctx = call.ctx;
      if (call.plan) frame.chain = true;
      if (call.state !== undefined) frame.state = call.state;
      if (call.wantState) frame.want_state = true;
      const step: Step = {
        callId: id,
        nodeId: call.nodeId,
        input: call.data,
        timeoutMs: call.timeoutMs,
        resolve,
        plan: call.plan ?? null,
      };
      let text: string;
      try {
        text = JSON.stringify(frame);
      } catch (error) {
        // Only a value nested thousands of levels deep gets here (the HTTP edge bounds nesting).
        resolve({
          ok: false,
          logs: [],
          error: {
            code: 'node_failed',
            type: 'RecursionError',
            message: `node '${call.nodeId}' was not run: its input could not be sent to the worker (${(error as Error).message})`,
          },
        });
        return;
      }
      this.queue.push({ step, frame: text });
      if (!this.current) this.sendNext();
    });
  }

  /**
   * The result of the node this worker runs ahead, which the executor now asks for (the shared
   * plan says which node that is, and its input is what the worker fed it).
   */
  takeAhead(nodeId: string): Promise<WorkerOutcome> {
    const head = this.ahead.shift();
    if (head?.nodeId === nodeId) return head.outcome;
    this.ahead = [];
    return Promise.resolve(
      crashed(`internal: the worker ran node '${head?.nodeId ?? 'none'}' ahead, not node '${nodeId}' (a Plinth bug)`),
    );
  }

  /** Drops a run's ctx.state in the worker; the frame rides along with the worker's next call. */
  end(runId: string): void {
    this.ahead = [];
    this.pendingEnds.push(runId);
  }

  private sendNext(): void {
    const next = this.queue.shift();
    if (!next) {
      this.current = null;
      this.process.clearDeadline();
      return;
    }
    this.begin(next.step);
    const frames = this.pendingEnds.map((run) => JSON.stringify({ op: 'end', run }));
    this.pendingEnds = [];
    frames.push(next.frame);
    this.process.send(encodeFrames(frames));
  }

  private begin(step: Step): void {
    this.current = step;
    this.process.setDeadline(step.timeoutMs, () => this.onTimeout(step));
  }

  private onReply(reply: CallReply): void {
    const step = this.current;
    if (!step || reply.id !== step.callId) return; // a late reply to a call we gave up on
    if (reply.node !== undefined && reply.node !== step.nodeId) {
      this.current = null;
      this.process.kill(`was stopped: it ran node '${reply.node}' where node '${step.nodeId}' was expected`);
      step.resolve(
        crashed(`the worker ran node '${reply.node}' where node '${step.nodeId}' was expected (a Plinth bug)`),
      );
      return;
    }
    if (reply.retire) this.retire = true;
    const outcome: WorkerOutcome = reply.ok
      ? { ok: true, output: reply.output ?? null, logs: reply.logs }
      : { ok: false, error: reply.error!, logs: reply.logs };
    if (reply.state !== undefined) outcome.state = reply.state;
    step.resolve(outcome);
    const next = step.plan && outcome.ok ? nextAhead(step.plan, step.nodeId, step.input, outcome.output) : null;
    if (!next) {
      this.sendNext();
      return;
    }
    // The worker is already running `next`: its result waits for the executor to ask.
    let resolve!: (outcome: WorkerOutcome) => void;
    const promise = new Promise<WorkerOutcome>((r) => (resolve = r));
    this.ahead.push({ nodeId: next.nodeId, outcome: promise });
    const timeoutMs = (step.plan!.byId.get(next.nodeId)!.node as { timeoutMs: number }).timeoutMs;
    this.begin({ callId: step.callId, nodeId: next.nodeId, input: next.data, timeoutMs, resolve, plan: step.plan });
  }

  private onTimeout(step: Step): void {
    if (this.current !== step) return;
    this.current = null;
    this.process.kill(`was stopped because node '${step.nodeId}' timed out`);
    step.resolve({
      ok: false,
      logs: [],
      error: { code: 'node_timeout', message: `node '${step.nodeId}' did not return within ${step.timeoutMs} ms` },
    });
  }

  private onOversize(bytes: number, limit: number): void {
    const step = this.current;
    this.current = null;
    if (!step) return;
    step.resolve({
      ok: false,
      logs: [],
      error: {
        code: 'invalid_output',
        message: `node '${step.nodeId}' returned ${bytes} bytes of JSON, more than the ${limit}-byte limit (PLINTH_MAX_OUTPUT_BYTES)`,
      },
    });
  }

  private onGone(how: string): void {
    if (this.current) {
      this.current.resolve(crashed(`the worker running node '${this.current.nodeId}' ${how}`));
      this.current = null;
    }
    for (const { step } of this.queue.splice(0)) {
      step.resolve(crashed(`the worker ${how} before node '${step.nodeId}' could run`));
    }
  }
}

function crashed(message: string): WorkerOutcome {
  return { ok: false, logs: [], error: { code: 'worker_crashed', message } };
}
