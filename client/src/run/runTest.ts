import type { Json, Problem } from '@plinth/shared';
import type { PlinthClient } from '../api/trpc.ts';
import { errorMessage } from '../api/errors.ts';
import type { DraftSaver } from '../save/DraftSaver.ts';
import { useGraphStore } from '../store/graphStore.ts';
import { useRunStore } from '../store/runStore.ts';
import { useSaveStore } from '../save/saveStore.ts';
import { loadPython } from './loadPython.ts';
import { loadShared } from '../api/loadShared.ts';

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

/** Run the document on screen with Pyodide in this browser (model nodes call the server). */
export async function runInBrowser(input: Json): Promise<void> {
  const { runGraph, validateGraph, validateInput } = await loadShared();
  const runs = useRunStore.getState();
  const checked = validateGraph(useGraphStore.getState().document);
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
    const runner = getPythonClient().createBrowserRunner();
    dispose = () => runner.dispose();
    const trace = await runGraph(checked.graph, input, runner, {
      version: null,
      onNodeStart: (id) => useRunStore.getState().onNodeStart(id),
      onNodeUpdate: (id, t) => useRunStore.getState().onNodeUpdate(id, t),
    });
    useRunStore.getState().finishRun(trace);
  } catch (error) {
    useRunStore.getState().failRun(errorMessage(error));
  } finally {
    await dispose?.();
  }
}

/** Save the draft, then run it in the server's sandbox (`graphs.test`). */
export async function runOnServer(client: PlinthClient, saver: DraftSaver, name: string, input: Json): Promise<void> {
  const runs = useRunStore.getState();
  const ids = useGraphStore.getState().document.nodes.map((n) => n.id);
  runs.startRun('server', ids);
  const saved = await saver.flush();
  if (!saved) {
    const save = useSaveStore.getState();
    const why = save.status === 'invalid' ? `\n${describe(save.problems)}` : save.message ? `\n${save.message}` : '';
    return useRunStore
      .getState()
      .failRun(`The draft could not be saved (${save.status}), so the server cannot run it.${why}`);
  }
  try {
    const trace = await client.graphs.test.mutate({ name, input });
    useRunStore.getState().finishRun(trace);
  } catch (error) {
    useRunStore.getState().failRun(errorMessage(error));
  }
}
