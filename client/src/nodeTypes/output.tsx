import type { OutputNode } from '@plinth/shared/graph';
import type { NodeTypeView } from './defineNodeTypeView.ts';

function OutputNodeHint() {
  return <p className="hint">The data this node receives is the response of the API.</p>;
}

export const outputView: NodeTypeView<OutputNode> = {
  label: 'Output',
  icon: '⇥',
  help: 'Its input is the response',
  summary: () => 'response',
  Form: OutputNodeHint,
};
