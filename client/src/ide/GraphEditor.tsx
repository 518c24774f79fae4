import { useEffect, useState } from 'react';
import { ReactFlowProvider } from '@xyflow/react';
import { useQueryClient } from '@tanstack/react-query';
import { useTRPC, useTRPCClient } from '../api/trpc.ts';
import { errorMessage } from '../api/errors.ts';
import { loadShared } from '../api/loadShared.ts';
import { DraftSaver } from '../save/DraftSaver.ts';
import { keepLastRun } from '../save/keepLastRun.ts';
import { preloadPythonWhenIdle } from '../python/preloadWhenIdle.ts';
import { SaverContext, useSaver, useSaveState } from '../save/SaverContext.tsx';
import { ConflictDialog } from '../save/SaveIndicator.tsx';
import { createGraphStore, type GraphStore } from '../store/graphStore.ts';
import { createRunStore } from '../store/runStore.ts';
import { GraphStoreProvider, useGraphStore, useGraphStoreApi, useRunStore } from '../store/GraphStoreProvider.tsx';
import { Canvas } from '../canvas/Canvas.tsx';
import { Palette } from '../canvas/Palette.tsx';
import { Toolbar } from './Toolbar.tsx';
import { SidePanel } from './SidePanel.tsx';
import type { SideTab } from './SidePanel.tsx';
import { useEditorShortcuts, useUnloadWarning } from './useEditorShortcuts.ts';

/** One graph's editor: canvas in the middle, palette left, panels right; its own stores. */
export function GraphEditor(props: { name: string }) {
  const client = useTRPCClient();
  const [store] = useState(() => createGraphStore());
  const [runs] = useState(createRunStore);
  const [saver] = useState(() => new DraftSaver(client, props.name, store));
  const [loadError, setLoadError] = useState<string | null>(null);
  const [loaded, setLoaded] = useState(false);
  useValidatorOnceLoaded(store, loaded);

  useEffect(() => {
    saver.load().then(
      () => setLoaded(true),
      (e: unknown) => setLoadError(errorMessage(e)),
    );
    return () => saver.dispose();
  }, [saver]);
  // The last test run's trace survives a reload (kept in this browser, or from run history).
  useEffect(() => (loaded ? keepLastRun(runs, client, props.name) : undefined), [loaded, runs, client, props.name]);

  if (loadError !== null) {
    return (
      <main className="centered">
        <div className="card">
          <h1>Cannot open {props.name}</h1>
          <p className="error" role="alert">
            {loadError}
          </p>
          <a href="#/">Back to the graph list</a>
        </div>
      </main>
    );
  }
  if (!loaded) {
    return (
      <main className="centered" aria-busy="true">
        <p>Opening {props.name}…</p>
      </main>
    );
  }
  return (
    <SaverContext.Provider value={saver}>
      <GraphStoreProvider store={store} runs={runs}>
        <ReactFlowProvider>
          <EditorLayout name={props.name} />
        </ReactFlowProvider>
      </GraphStoreProvider>
    </SaverContext.Provider>
  );
}

/**
 * The validator (zod, Ajv) is the largest part of the editor's code and nothing needs it to
 * draw the first canvas: it loads once the canvas has painted and the main thread is idle
 * (about half the editor's JavaScript, no longer fetched and parsed before the first paint),
 * and the store validates then.
 */
function useValidatorOnceLoaded(store: GraphStore, drawn: boolean): void {
  useEffect(() => {
    if (!drawn) return;
    let active = true;
    const load = () =>
      void loadShared().then(({ validateGraph }) => {
        if (active) store.getState().setValidator(validateGraph);
      });
    const cancel = afterPaintWhenIdle(load);
    return () => {
      active = false;
      cancel();
    };
  }, [store, drawn]);
}

/** Runs `work` after the next two frames (the canvas drawn) once the main thread is idle. */
function afterPaintWhenIdle(work: () => void): () => void {
  let cancelled = false;
  let idle: number | null = null;
  const frame = requestAnimationFrame(() =>
    requestAnimationFrame(() => {
      if (cancelled) return;
      if (typeof requestIdleCallback === 'function') idle = requestIdleCallback(work, { timeout: 1000 });
      else work();
    }),
  );
  return () => {
    cancelled = true;
    cancelAnimationFrame(frame);
    if (idle !== null) cancelIdleCallback(idle);
  };
}

function EditorLayout(props: { name: string }) {
  const [tab, setTab] = useState<SideTab>('node');
  const selectedNodeId = useGraphStore((s) => s.selectedNodeId);
  const running = useRunStore((s) => s.running);
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const revision = useSaveState((s) => s.revision);
  const store = useGraphStoreApi();
  useEditorShortcuts(store);
  useUnloadWarning(useSaver().state);
  // Python loads while the user looks at the canvas, so the first preview does not wait for it.
  useEffect(() => preloadPythonWhenIdle(store.getState().document), [store]);

  // Picking a node shows it; starting a run shows the run.
  useEffect(() => {
    if (selectedNodeId !== null) setTab('node');
  }, [selectedNodeId]);
  useEffect(() => {
    if (running !== null) setTab('test');
  }, [running]);
  // The graph list shows revisions and dates: keep it fresh.
  useEffect(() => {
    void queryClient.invalidateQueries({ queryKey: trpc.graphs.list.queryKey() });
  }, [revision, queryClient, trpc]);

  return (
    <div className="editor" data-testid="editor">
      <Toolbar name={props.name} onShowVersions={() => setTab('versions')} />
      <div className="editor-body">
        <Palette />
        <Canvas />
        <SidePanel name={props.name} tab={tab} onTab={setTab} />
      </div>
      <ConflictDialog />
    </div>
  );
}
