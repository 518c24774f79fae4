import type { PythonNode } from '@plinth/shared/graph';
import type { NodeTypeView } from './defineNodeTypeView.ts';

export const pythonView: NodeTypeView<PythonNode> = {
  label: 'Python',
  icon: 'λ',
  help: 'def process(data, ctx) returns the output',
  summary(node) {
    const reqs = node.requirements.length > 0 ? ` · ${node.requirements.length} req` : '';
    return `def process(data, ctx)${reqs}${node.network ? ' · network' : ''}`;
  },
  code: { label: 'Python code', settings: ['requirements', 'network'] },
};
