import { useEffect, useState } from 'react';
import { ReactFlowProvider } from '@xyflow/react';
import { useQueryClient } from '@tanstack/react-query';
import { useTRPC, useTRPCClient } from '../api/trpc.ts';
import { errorMessage } from '../api/errors.ts';
import { DraftSaver } from '../save/DraftSaver.ts';
import { SaverContext } from '../save/SaverContext.tsx';
import { ConflictDialog } from '../save/SaveIndicator.tsx';
import { useSaveStore } from '../save/saveStore.ts';
import { useGraphStore } from '../store/graphStore.ts';
import { useRunStore } from '../store/runStore.ts';
import { Canvas } from '../canvas/Canvas.tsx';
import { Palette } from '../canvas/Palette.tsx';
import { useValidation } from '../canvas/validationStore.ts';
import { Toolbar } from './Toolbar.tsx';
import { SidePanel } from './SidePanel.tsx';
import type { SideTab } from './SidePanel.tsx';
import { useEditorShortcuts, useUnloadWarning } from './useEditorShortcuts.ts';

/** One graph's editor: canvas in the middle, palette left, panels right. */
export function GraphEditor(props: { name: string }) {
  const client = useTRPCClient();
  const [saver] = useState(() => new DraftSaver(client, props.name));
  const [loadError, setLoadError] = useState<string | null>(null);
  const [loaded, setLoaded] = useState(false);

  useEffect(() => {
    useRunStore.getState().clear();
    useRunStore.getState().setInputText(null);
    saver.load().then(
      () => setLoaded(true),
      (e: unknown) => setLoadError(errorMessage(e)),
    );
    return () => saver.dispose();
  }, [saver]);

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
      <ReactFlowProvider>
        <EditorLayout name={props.name} />
      </ReactFlowProvider>
    </SaverContext.Provider>
  );
}

function EditorLayout(props: { name: string }) {
  const validation = useValidation();
  const [tab, setTab] = useState<SideTab>('node');
  const selectedNodeId = useGraphStore((s) => s.selectedNodeId);
  const running = useRunStore((s) => s.running);
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const revision = useSaveStore((s) => s.revision);
  useEditorShortcuts();
  useUnloadWarning();

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
      <Toolbar name={props.name} validation={validation} onShowVersions={() => setTab('versions')} />
      <div className="editor-body">
        <Palette />
        <Canvas validation={validation} />
        <SidePanel name={props.name} tab={tab} onTab={setTab} validation={validation} />
      </div>
      <ConflictDialog />
    </div>
  );
}
