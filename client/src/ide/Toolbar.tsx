import { useReactFlow } from '@xyflow/react';
import { useGraphStore, useGraphStoreApi } from '../store/GraphStoreProvider.tsx';
import { SaveIndicator } from '../save/SaveIndicator.tsx';
import { layoutPositions } from '../canvas/autoLayout.ts';
import { useFitReadable } from '../canvas/readableView.ts';
import { downloadText } from '../ui/download.ts';
import { exportGraphText } from '../graphs/exportGraph.ts';
import { PublishButton } from '../publish/PublishButton.tsx';

/** Back, name, save state, undo/redo, layout, fit, export, publish. */
export function Toolbar(props: { name: string; onShowVersions: () => void }) {
  const store = useGraphStoreApi();
  const problems = useGraphStore((s) => s.validation.problems);
  const canUndo = useGraphStore((s) => s.past.length > 0);
  const canRedo = useGraphStore((s) => s.future.length > 0);
  const description = useGraphStore((s) => s.document.description);
  const { getInternalNode } = useReactFlow();
  const fitReadable = useFitReadable();
  const problemCount = problems.length;

  const autoLayout = async () => {
    const doc = store.getState().document;
    const { positions, routes } = await layoutPositions(doc, (id) => {
      const m = getInternalNode(id)?.measured;
      return m?.width !== undefined && m.height !== undefined ? { width: m.width, height: m.height } : undefined;
    });
    store.getState().checkpoint();
    store.getState().moveNodes(positions);
    store.getState().setEdgeRoutes({ positions, routes });
    // Refit once React Flow has the new positions, or it frames the old ones.
    const placed = () =>
      Object.entries(positions).every(([id, p]) => {
        const at = getInternalNode(id)?.position;
        return at === undefined || (at.x === p.x && at.y === p.y);
      });
    const refit = (frames: number) => {
      if (placed() || frames === 0) fitReadable({ duration: 300 });
      else requestAnimationFrame(() => refit(frames - 1));
    };
    requestAnimationFrame(() => refit(30));
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
        <button type="button" onClick={() => fitReadable({ duration: 300 })} data-testid="fit-view">
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
      <PublishButton name={props.name} onPublished={props.onShowVersions} />
    </header>
  );
}
