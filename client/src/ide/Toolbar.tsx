import { useState } from 'react';
import { useReactFlow } from '@xyflow/react';
import { useQueryClient } from '@tanstack/react-query';
import { useTRPC, useTRPCClient } from '../api/trpc.ts';
import { errorMessage } from '../api/errors.ts';
import { useGraphStore, useGraphStoreApi } from '../store/GraphStoreProvider.tsx';
import { useSaver } from '../save/SaverContext.tsx';
import { SaveIndicator } from '../save/SaveIndicator.tsx';
import { layoutPositions } from '../canvas/autoLayout.ts';
import { FIT_VIEW_OPTIONS } from '../canvas/flowTypes.ts';
import { downloadText } from '../ui/download.ts';
import { exportGraphText } from '../graphs/exportGraph.ts';

/** Back, name, save state, undo/redo, layout, fit, export, publish. */
export function Toolbar(props: { name: string; onShowVersions: () => void }) {
  const store = useGraphStoreApi();
  const problems = useGraphStore((s) => s.validation.problems);
  const canUndo = useGraphStore((s) => s.past.length > 0);
  const canRedo = useGraphStore((s) => s.future.length > 0);
  const description = useGraphStore((s) => s.document.description);
  const { fitView, getInternalNode } = useReactFlow();
  const client = useTRPCClient();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const saver = useSaver();
  const [publishing, setPublishing] = useState(false);
  const [notice, setNotice] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const problemCount = problems.length;

  const autoLayout = async () => {
    const doc = store.getState().document;
    const positions = await layoutPositions(doc, (id) => {
      const m = getInternalNode(id)?.measured;
      return m?.width !== undefined && m.height !== undefined ? { width: m.width, height: m.height } : undefined;
    });
    store.getState().checkpoint();
    store.getState().moveNodes(positions);
    requestAnimationFrame(() => void fitView({ ...FIT_VIEW_OPTIONS, duration: 300 }));
  };

  const publish = async () => {
    setPublishing(true);
    setNotice(null);
    try {
      if (!(await saver.flush())) {
        const save = saver.state.getState();
        throw new Error(
          save.status === 'invalid'
            ? `Fix the graph's ${save.problems.length} problem(s) before publishing.`
            : `The draft is not saved (${save.message ?? save.status}).`,
        );
      }
      const { version } = await client.versions.publish.mutate({ name: props.name });
      await queryClient.invalidateQueries({ queryKey: trpc.versions.list.queryKey({ name: props.name }) });
      setNotice({ kind: 'ok', text: `Published v${version}; it is live.` });
      props.onShowVersions();
    } catch (e) {
      setNotice({ kind: 'error', text: errorMessage(e) });
    } finally {
      setPublishing(false);
    }
  };

  return (
    <header className="topbar editor-toolbar">
      <a href="#/" className="back" aria-label="Back to the graph list">
        ← Graphs
      </a>
      <h1 className="graph-title" title={description}>
        {props.name}
      </h1>
      <SaveIndicator />
      {problemCount > 0 && (
        <span className="problem-count" title={problems.map((p) => p.message).join('\n')} data-testid="problem-count">
          {problemCount} problem{problemCount === 1 ? '' : 's'}
        </span>
      )}
      <span className="spacer" />
      <div className="toolbar-group" role="group" aria-label="Edit">
        <button
          type="button"
          onClick={() => store.getState().undo()}
          disabled={!canUndo}
          title="Undo (Ctrl+Z)"
          data-testid="undo"
        >
          Undo
        </button>
        <button
          type="button"
          onClick={() => store.getState().redo()}
          disabled={!canRedo}
          title="Redo (Ctrl+Shift+Z)"
          data-testid="redo"
        >
          Redo
        </button>
        <button type="button" onClick={() => void autoLayout()} data-testid="auto-layout">
          Auto-layout
        </button>
        <button
          type="button"
          onClick={() => void fitView({ ...FIT_VIEW_OPTIONS, duration: 300 })}
          data-testid="fit-view"
        >
          Fit view
        </button>
        <button
          type="button"
          onClick={() => downloadText(`${props.name}.json`, exportGraphText(store.getState().document))}
          data-testid="export"
        >
          Export
        </button>
      </div>
      <button
        type="button"
        className="primary"
        onClick={() => void publish()}
        disabled={publishing}
        data-testid="publish"
      >
        {publishing ? 'Publishing…' : 'Publish'}
      </button>
      {notice !== null && (
        <span
          className={notice.kind === 'ok' ? 'notice ok' : 'notice error'}
          role={notice.kind === 'error' ? 'alert' : 'status'}
          data-testid="publish-notice"
        >
          {notice.text}
          <button type="button" className="icon" aria-label="Dismiss" onClick={() => setNotice(null)}>
            ×
          </button>
        </span>
      )}
    </header>
  );
}
