import type { PythonNode } from '@plinth/shared/graph';
import { firstDocstringLine } from '../canvas/docstring.ts';
import type { NodeTypeView } from './defineNodeTypeView.ts';

export const pythonView: NodeTypeView<PythonNode> = {
  label: 'Python',
  icon: 'λ',
  help: 'def process(data, ctx) returns the output',
  // What the node is for, in its author's words; every node has the same signature.
  summary(node) {
    const parts = [firstDocstringLine(node.code) ?? ''];
    if (node.requirements.length > 0) parts.push(`${node.requirements.length} req`);
    if (node.network) parts.push('network');
    return parts.filter((p) => p !== '').join(' · ');
  },
  code: { label: 'Python code', settings: ['requirements', 'network'] },
};
