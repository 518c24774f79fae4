import { createStore, type StoreApi } from 'zustand/vanilla';
import type { NodeTrace, RunTrace } from '@plinth/shared';

/** Where a run happens. */
export type RunTarget = 'browser' | 'server';

/** The live status of one node during (or after) a run, as a discriminated union. */
export type LiveNodeStatus =
  { status: 'running' } | { status: 'ok' | 'error' | 'skipped' | 'not_run'; trace: NodeTrace };

export interface RunState {
  /** The last finished run: `nodes[id].input` is what each node was fed. */
  lastRun: RunTrace | null;
  /** When `lastRun` finished (ISO time), to tell which of two kept runs is newer. */
  lastRunAt: string | null;
  lastRunTarget: RunTarget | null;
  /** The run in progress, if any. */
  running: RunTarget | null;
  /** Per-node status of the current (or last) run. */
  live: Readonly<Record<string, LiveNodeStatus>>;
  /** A failure of the run itself (not of a node), e.g. the server refused the input. */
  runError: string | null;
  /** The test input, as the JSON text the user edits; null = the input node's example. */
  inputText: string | null;

  /** Start a run; `runningIds` show as running until they report (all of them for a server run). */
  startRun: (target: RunTarget, runningIds: readonly string[]) => void;
  /** From `runGraph`'s `onNodeStart`. */
  onNodeStart: (nodeId: string) => void;
  /** Progress from `runGraph`'s `onNodeUpdate`. */
  onNodeUpdate: (nodeId: string, trace: NodeTrace) => void;
  finishRun: (trace: RunTrace) => void;
  failRun: (message: string) => void;
  setInputText: (text: string | null) => void;
  /** Show a run kept from before (a reload); ignored once a run has started here. */
  restoreRun: (run: { trace: RunTrace; target: RunTarget; at: string; inputText: string | null }) => void;
}

function liveFromTrace(trace: RunTrace): Record<string, LiveNodeStatus> {
  const live: Record<string, LiveNodeStatus> = {};
  for (const [id, t] of Object.entries(trace.nodes)) live[id] = { status: t.status, trace: t };
  return live;
}

export type RunStore = StoreApi<RunState>;

/** The test runs of one editor: kept apart from the document (a run reads a snapshot of it). */
export const createRunStore = (): RunStore =>
  createStore<RunState>()((set, get) => ({
    lastRun: null,
    lastRunAt: null,
    lastRunTarget: null,
    running: null,
    live: {},
    runError: null,
    inputText: null,

    startRun(target, runningIds) {
      const live: Record<string, LiveNodeStatus> = {};
      for (const id of runningIds) live[id] = { status: 'running' };
      set({ running: target, live, runError: null });
    },

    onNodeStart(nodeId) {
      set({ live: { ...get().live, [nodeId]: { status: 'running' } } });
    },

    onNodeUpdate(nodeId, trace) {
      set({ live: { ...get().live, [nodeId]: { status: trace.status, trace } } });
    },

    finishRun(trace) {
      set({
        lastRun: trace,
        lastRunAt: new Date().toISOString(),
        lastRunTarget: get().running,
        running: null,
        live: liveFromTrace(trace),
      });
    },

    failRun(message) {
      set({ running: null, runError: message, live: {} });
    },

    setInputText(text) {
      set({ inputText: text });
    },

    restoreRun(run) {
      const { running, lastRunAt } = get();
      if (running !== null || (lastRunAt !== null && lastRunAt >= run.at)) return;
      set({
        lastRun: run.trace,
        lastRunAt: run.at,
        lastRunTarget: run.target,
        live: liveFromTrace(run.trace),
        inputText: get().inputText ?? run.inputText,
      });
    },
  }));
