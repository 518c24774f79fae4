import { useId } from 'react';
import type { ModelNode } from '@plinth/shared/graph';
import { TimeoutField } from '../panels/TimeoutField.tsx';
import { useGraphStore } from '../store/GraphStoreProvider.tsx';
import type { NodeTypeView } from './defineNodeTypeView.ts';

function ModelNodeForm(props: { node: ModelNode }) {
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

export const modelView: NodeTypeView<ModelNode> = {
  label: 'Model',
  icon: '▣',
  help: "Calls a deployed model's predict",
  summary: (node) =>
    node.model === ''
      ? 'no model chosen'
      : `${node.model}${node.modelVersion === null ? ' (live)' : ` v${node.modelVersion}`}`,
  Form: ModelNodeForm,
};
