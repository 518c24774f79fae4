import type { GraphNode, NodeOfType, NodeType } from '@plinth/shared/graph';
import { branchView } from './branch.tsx';
import type { NodeTypeView } from './defineNodeTypeView.ts';
import { inputView } from './input.tsx';
import { modelView } from './model.tsx';
import { outputView } from './output.tsx';
import { pythonView } from './python.ts';

export type { CodeEditing, CodeSetting, NodeTypeView } from './defineNodeTypeView.ts';

/**
 * The IDE's half of the node-type registry (the other half is `nodeTypes` in shared/): label,
 * icon, canvas summary and side-panel form of every kind of node. A mapped record over
 * `NodeType`, so a node type without a view here does not compile. What a node does (its
 * handles, whether it has code, how many a graph may have) comes from its shared definition.
 */
export const nodeTypeViews: { readonly [T in NodeType]: NodeTypeView<NodeOfType<T>> } = {
  input: inputView,
  python: pythonView,
  model: modelView,
  branch: branchView,
  output: outputView,
};

/** The view of a node's type, typed for that node. */
export function nodeTypeViewOf<N extends GraphNode>(node: N): NodeTypeView<N> {
  return nodeTypeViews[node.type] as unknown as NodeTypeView<N>;
}
