import { lazy, Suspense, useId } from 'react';
import { isCodeNode, type GraphNode } from '@plinth/shared/graph';
import { nodeTypeViewOf } from '../nodeTypes/index.ts';
import { useGraphStore, useSelectedNode } from '../store/GraphStoreProvider.tsx';
import { NodeIdField } from './NodeIdField.tsx';
import { GraphSecretsField } from './GraphSecretsField.tsx';
import { ConnectControl } from '../canvas/ConnectControl.tsx';

// Monaco and Pyodide stay out of the main bundle: loaded when a code node is opened.
const NodeEditorPanel = lazy(() =>
  import('../editor/NodeEditorPanel.tsx').then((m) => ({ default: m.NodeEditorPanel })),
);

/** Details of the selected node: id, its type's form, the code editor for code nodes. */
export function NodePanel() {
  const node = useSelectedNode();
  const count = useGraphStore((s) => s.selectedNodeIds.length);
  if (node === null) {
    return (
      <div className="panel-empty" data-testid="node-panel-empty">
        <GraphDescriptionField />
        <GraphSecretsField />
        <p>{count > 1 ? `${count} nodes selected. Delete removes them all.` : 'Select a node to edit it.'}</p>
        <p className="hint">
          Drag a node type from the palette onto the canvas, then drag from a node&apos;s right handle to another
          node&apos;s left handle to connect them. Shift-drag selects several; Delete removes; Ctrl+Z undoes.
        </p>
      </div>
    );
  }
  return <SelectedNodePanel node={node} />;
}

function SelectedNodePanel({ node }: { node: GraphNode }) {
  const problems = useGraphStore((s) => s.validation.byNode.get(node.id));
  const { icon, label, Form } = nodeTypeViewOf(node);
  return (
    <div className="node-panel" data-testid="node-panel">
      <h2 className="panel-title">
        <span className="node-icon" aria-hidden="true">
          {icon}
        </span>{' '}
        {label} node
      </h2>
      <NodeIdField nodeId={node.id} />
      {problems !== undefined && (
        <ul className="problems" role="alert" data-testid="node-panel-problems">
          {problems.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      )}
      {Form !== undefined && <Form node={node} />}
      <ConnectControl node={node} />
      {isCodeNode(node) && (
        <Suspense fallback={<p className="hint">Loading the code editor…</p>}>
          <NodeEditorPanel />
        </Suspense>
      )}
    </div>
  );
}

/** The graph's description: shown in the graph list and the OpenAPI document. */
function GraphDescriptionField() {
  const description = useGraphStore((s) => s.document.description);
  const setDescription = useGraphStore((s) => s.setDescription);
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>Graph description</label>
      <input
        id={id}
        value={description}
        onChange={(e) => setDescription(e.target.value)}
        data-testid="graph-description"
      />
    </div>
  );
}
