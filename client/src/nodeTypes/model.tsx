import { useId } from 'react';
import type { ModelNode } from '@plinth/shared/graph';
import { ModelNodeFields } from '../models/ModelNodeFields.tsx';
import { TimeoutField } from '../panels/TimeoutField.tsx';
import { useGraphStore } from '../store/GraphStoreProvider.tsx';
import type { NodeTypeView } from './defineNodeTypeView.ts';

function ModelNodeForm(props: { node: ModelNode }) {
  const update = useGraphStore((s) => s.updateNode);
  const timeoutId = useId();
  return (
    <>
      <ModelNodeFields node={props.node} onChange={(patch) => update(props.node.id, patch)} />
      <TimeoutField nodeId={props.node.id} value={props.node.timeoutMs} inputId={timeoutId} />
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
