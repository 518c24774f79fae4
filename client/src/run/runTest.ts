import type { Json, Problem } from '@plinth/shared';
import type { PlinthClient } from '../api/trpc.ts';
import { errorMessage } from '../api/errors.ts';
import type { DraftSaver } from '../save/DraftSaver.ts';
import type { GraphStore } from '../store/graphStore.ts';
import type { RunStore } from '../store/runStore.ts';
import { loadPython } from './loadPython.ts';
import { loadShared } from '../api/loadShared.ts';
import type { ModelCaller } from '../models/callModel.ts';

const describe = (problems: readonly Problem[]) =>
  problems.map((p) => `• ${p.nodeId ? `${p.nodeId}: ` : ''}${p.path ? `${p.path}: ` : ''}${p.message}`).join('\n');

/** The test input: the edited text, or the input node's example. */
export function parseTestInput(text: string): { ok: true; value: Json } | { ok: false; message: string } {
  try {
    return { ok: true, value: JSON.parse(text) as Json };
  } catch (e) {
    return { ok: false, message: `The test input is not valid JSON: ${(e as Error).message}` };
  }
}

/** One editor's stores: the run reads the graph's document and reports into the run state. */
export interface RunScope {
  graph: GraphStore;
  runs: RunStore;
}

/** Run the document on screen with Pyodide in this browser (model nodes call the server through tRPC). */
export async function runInBrowser(
  { graph, runs: runStore }: RunScope,
  input: Json,
  callModel: ModelCaller,
): Promise<void> {
  const { runGraph, validateGraph, validateInput } = await loadShared();
  const runs = runStore.getState();
  const checked = validateGraph(graph.getState().document);
  if (!checked.ok) return runs.failRun(`Fix the graph first:\n${describe(checked.problems)}`);
  const inputProblems = validateInput(checked.graph, input);
  if (inputProblems.length > 0)
    return runs.failRun(`The input does not match the input node's schema:\n${describe(inputProblems)}`);
  runs.startRun('browser', []);
  let dispose: (() => Promise<void>) | undefined;
  try {
    const { getPythonClient } = await loadPython();
    // Load Python before the run starts, so the first node's duration is its own, not Pyodide's start-up.
    await getPythonClient().load();
    const runner = getPythonClient().createBrowserRunner({ callModel });
    dispose = () => runner.dispose();
    const trace = await runGraph(checked.graph, input, runner, {
      version: null,
      onNodeStart: (id) => runs.onNodeStart(id),
      onNodeUpdate: (id, t) => runs.onNodeUpdate(id, t),
    });
    runs.finishRun(trace);
  } catch (error) {
    runs.failRun(errorMessage(error));
  } finally {
    await dispose?.();
  }
}

/** Save the draft, then run it in the server's sandbox (`graphs.test`). */
export async function runOnServer(
  client: PlinthClient,
  saver: DraftSaver,
  { graph, runs: runStore }: RunScope,
  name: string,
  input: Json,
): Promise<void> {
  const runs = runStore.getState();
  runs.startRun(
    'server',
    graph.getState().document.nodes.map((n) => n.id),
  );
  const saved = await saver.flush();
  if (!saved) {
    const save = saver.state.getState();
    const why = save.message ? `\n${save.message}` : '';
    return runs.failRun(`The draft could not be saved (${save.status}), so the server cannot run it.${why}`);
  }
  try {
    const trace = await client.graphs.test.mutate({ name, input });
    runs.finishRun(trace);
  } catch (error) {
    runs.failRun(errorMessage(error));
  }
}
