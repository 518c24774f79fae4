import { useId, useState } from 'react';
import type { BranchNode, InputNode, Json, ModelNode } from '@plinth/shared';
import { useGraphStore } from '../store/graphStore.ts';
import { JsonField } from './JsonField.tsx';
import { sharedIfLoaded } from '../api/loadShared.ts';
import { TimeoutField } from './TimeoutField.tsx';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function schemaCheck(value: Json): string | null {
  if (!isObject(value)) return 'A JSON Schema is an object, e.g. {"type": "object"}.';
  // The graph's validation reports a bad schema too; this only answers sooner.
  const error = sharedIfLoaded()?.compileSchema(value).error;
  return error === undefined ? null : `Not a valid JSON Schema: ${error}`;
}

export function InputNodeForm(props: { node: InputNode }) {
  const update = useGraphStore((s) => s.updateNode);
  return (
    <>
      <JsonField
        label="JSON Schema of the request body"
        value={props.node.schema}
        rows={8}
        check={schemaCheck}
        onChange={(schema) => update(props.node.id, { schema: schema as Record<string, unknown> })}
        hint="Requests that do not match get a 400 listing every problem."
        testId="input-schema"
      />
      <JsonField
        label="Example input"
        value={props.node.example}
        rows={6}
        onChange={(example) => update(props.node.id, { example })}
        hint="The default test input, and the example in the API snippets and OpenAPI."
        testId="input-example"
      />
    </>
  );
}

export function ModelNodeForm(props: { node: ModelNode }) {
  const update = useGraphStore((s) => s.updateNode);
  const ids = { model: useId(), version: useId(), timeout: useId() };
  return (
    <>
      <div className="field">
        <label htmlFor={ids.model}>Model name</label>
        <input
          id={ids.model}
          value={props.node.model}
          spellCheck={false}
          placeholder="fraud-lr"
          onChange={(e) => update(props.node.id, { model: e.target.value })}
        />
        <p className="hint">
          A model deployed with POST /api/v1/models; its predict(data) return value is this node&apos;s output.
        </p>
      </div>
      <div className="field">
        <label htmlFor={ids.version}>Version</label>
        <input
          id={ids.version}
          type="number"
          min={1}
          step={1}
          placeholder="live"
          value={props.node.modelVersion ?? ''}
          onChange={(e) => {
            const n = Number.parseInt(e.target.value, 10);
            update(props.node.id, { modelVersion: Number.isFinite(n) && n > 0 ? n : null });
          }}
        />
        <p className="hint">Empty: whichever version of the model is live.</p>
      </div>
      <TimeoutField nodeId={props.node.id} value={props.node.timeoutMs} inputId={ids.timeout} />
    </>
  );
}

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
