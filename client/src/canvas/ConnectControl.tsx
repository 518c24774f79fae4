import { useId, useState } from 'react';
import { nodeTypeOf, routesOf, type GraphNode } from '@plinth/shared/graph';
import { useDocumentStructure, useGraphStore } from '../store/GraphStoreProvider.tsx';

/**
 * "Connect to…": the keyboard's way to draw an edge from the selected node (the mouse drags
 * from a handle). For a branch node, which branch the edge carries is chosen too.
 */
export function ConnectControl(props: { node: GraphNode }) {
  const structure = useDocumentStructure();
  const connect = useGraphStore((s) => s.connect);
  const routes = routesOf(props.node);
  const targets = structure.nodes.filter((n) => n.id !== props.node.id && nodeTypeOf(n).accepts.incoming);
  const [target, setTarget] = useState('');
  const [branch, setBranch] = useState(routes?.[0] ?? '');
  const [message, setMessage] = useState<string | null>(null);
  const targetId = useId();
  const branchId = useId();
  if (!nodeTypeOf(props.node).accepts.outgoing || targets.length === 0) return null;
  const chosenBranch = routes !== undefined && routes.includes(branch) ? branch : routes?.[0];

  return (
    <fieldset className="field connect-to" data-testid="connect-to">
      <legend>Connect to…</legend>
      <div className="inline">
        <label htmlFor={targetId} className="visually-hidden">
          Connect {props.node.id} to
        </label>
        <select id={targetId} value={target} onChange={(e) => setTarget(e.target.value)}>
          <option value="">Choose a node</option>
          {targets.map((n) => (
            <option key={n.id} value={n.id}>
              {n.id}
            </option>
          ))}
        </select>
        {routes !== undefined && (
          <>
            <label htmlFor={branchId}>along</label>
            <select id={branchId} value={chosenBranch} onChange={(e) => setBranch(e.target.value)}>
              {routes.map((b) => (
                <option key={b} value={b}>
                  {b}
                </option>
              ))}
            </select>
          </>
        )}
        <button
          type="button"
          disabled={target === ''}
          onClick={() => {
            const added = connect({
              source: props.node.id,
              target,
              ...(chosenBranch !== undefined ? { branch: chosenBranch } : {}),
            });
            setMessage(
              added
                ? `Connected ${props.node.id}${chosenBranch !== undefined ? ` (${chosenBranch})` : ''} → ${target}.`
                : `${props.node.id} is already connected to ${target} that way.`,
            );
          }}
        >
          Connect
        </button>
      </div>
      {message !== null && (
        <p className="hint" role="status">
          {message}
        </p>
      )}
    </fieldset>
  );
}
