import { useId, useState } from 'react';
import type { BranchNode } from '@plinth/shared/graph';
import { useGraphStore } from '../store/GraphStoreProvider.tsx';
import { ConfirmDialog } from '../ui/Modal.tsx';
import { firstDocstringLine } from '../canvas/docstring.ts';
import type { NodeTypeView } from './defineNodeTypeView.ts';

/** The list of a branch node's branches: each becomes a labelled output handle. */
export function BranchListForm(props: { node: BranchNode }) {
  const update = useGraphStore((s) => s.updateNode);
  const [draft, setDraft] = useState('');
  const [removing, setRemoving] = useState<number | null>(null);
  const edges = useGraphStore((s) => s.structure.edges);
  const newId = useId();
  const branches = props.node.branches;
  const setBranches = (next: string[]) => update(props.node.id, { branches: next });
  const duplicate = branches.includes(draft.trim());
  const add = () => {
    const name = draft.trim();
    if (name === '' || duplicate) return;
    setBranches([...branches, name]);
    setDraft('');
  };
  return (
    <fieldset className="field branches">
      <legend>Branches</legend>
      <p className="hint">process(data, ctx) returns one of these; only edges labelled with it carry the data on.</p>
      <ul>
        {branches.map((b, i) => (
          // Keyed by position: a rename must not remount the field being typed in.
          <li key={i} className="branch-item">
            <BranchNameField nodeId={props.node.id} index={i} name={b} />
            <button
              type="button"
              className="icon"
              aria-label={`Move ${b} up`}
              disabled={i === 0}
              onClick={() => setBranches(swap(branches, i, i - 1))}
            >
              ↑
            </button>
            <button
              type="button"
              className="icon danger"
              aria-label={`Remove branch ${b}`}
              disabled={branches.length <= 1}
              onClick={() => setRemoving(i)}
            >
              ×
            </button>
          </li>
        ))}
      </ul>
      <div className="inline">
        <label htmlFor={newId} className="visually-hidden">
          New branch
        </label>
        <input
          id={newId}
          value={draft}
          placeholder="new branch"
          spellCheck={false}
          onChange={(e) => setDraft(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault();
              add();
            }
          }}
        />
        <button type="button" onClick={add} disabled={draft.trim() === '' || duplicate}>
          Add branch
        </button>
      </div>
      {duplicate && <p className="field-error">There is already a branch "{draft.trim()}".</p>}
      {removing !== null && branches[removing] !== undefined && (
        <ConfirmDialog
          title="Remove branch"
          message={removalMessage(
            branches[removing],
            edges.filter((e) => e.source === props.node.id && e.branch === branches[removing]).length,
          )}
          confirmLabel={`Remove ${branches[removing]}`}
          danger
          onConfirm={() => {
            setBranches(branches.filter((_, j) => j !== removing));
            setRemoving(null);
          }}
          onCancel={() => setRemoving(null)}
        />
      )}
    </fieldset>
  );
}

function removalMessage(branch: string, edgeCount: number): string {
  const edges =
    edgeCount === 0 ? 'No edge carries it.' : `Its ${edgeCount === 1 ? 'edge goes' : `${edgeCount} edges go`} with it.`;
  return `Remove the branch "${branch}"? ${edges} Ctrl+Z undoes it.`;
}

/**
 * One branch's name. Each keystroke renames the branch and relabels its edges; a name that will
 * not do (empty, a duplicate) is shown with why and not applied until it is fixed.
 */
function BranchNameField(props: { nodeId: string; index: number; name: string }) {
  const renameBranch = useGraphStore((s) => s.renameBranch);
  const [typed, setTyped] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const errorId = useId();
  return (
    <span className="branch-name">
      <input
        aria-label={`Branch ${props.index + 1}`}
        aria-invalid={error !== null}
        aria-describedby={error !== null ? errorId : undefined}
        value={typed ?? props.name}
        spellCheck={false}
        onChange={(e) => {
          setTyped(e.target.value);
          setError(renameBranch(props.nodeId, props.index, e.target.value));
        }}
        onBlur={() => {
          setTyped(null);
          setError(null);
        }}
      />
      {error !== null && (
        <span id={errorId} className="field-error" role="alert">
          {error} Still "{props.name}".
        </span>
      )}
    </span>
  );
}

function swap<T>(list: readonly T[], a: number, b: number): T[] {
  const copy = list.slice();
  const x = copy[a] as T;
  copy[a] = copy[b] as T;
  copy[b] = x;
  return copy;
}

export const branchView: NodeTypeView<BranchNode> = {
  label: 'Branch',
  icon: '◇',
  help: 'process returns which branch carries the data on',
  summary: (node) => firstDocstringLine(node.code) ?? `${node.branches.length} branches`,
  Form: BranchListForm,
  code: { label: 'process(data, ctx) returns one of the branches', settings: [] },
};
