import { useId, useState } from 'react';
import type { BranchNode } from '@plinth/shared/graph';
import { useGraphStore } from '../store/GraphStoreProvider.tsx';
import type { NodeTypeView } from './defineNodeTypeView.ts';

/** The list of a branch node's branches: each becomes a labelled output handle. */
export function BranchListForm(props: { node: BranchNode }) {
  const update = useGraphStore((s) => s.updateNode);
  const [draft, setDraft] = useState('');
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
          <li key={`${b}-${i}`} className="branch-item">
            <input
              aria-label={`Branch ${i + 1}`}
              value={b}
              spellCheck={false}
              onChange={(e) => setBranches(branches.map((x, j) => (j === i ? e.target.value : x)))}
            />
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
              onClick={() => setBranches(branches.filter((_, j) => j !== i))}
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
    </fieldset>
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
  summary: (node) => `${node.branches.length} branches`,
  Form: BranchListForm,
  code: { label: 'process(data, ctx) returns one of the branches', settings: [] },
};
