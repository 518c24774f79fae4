import type { ComponentType } from 'react';
import type { CodeNode, GraphNode } from '@plinth/shared/graph';

/** What a code node's settings offer besides its timeout. */
export type CodeSetting = 'requirements' | 'network';

/** How the side panel edits the Python of a code node (`execution: 'code'`). */
export interface CodeEditing {
  /** The label above the code editor: what `process(data, ctx)` is for. */
  label: string;
  settings: readonly CodeSetting[];
}

interface NodeTypeViewBase<N> {
  label: string;
  /** One character, shown on the node, in the palette and in the panel title. */
  icon: string;
  /** The palette's tooltip: what a node of this type does. */
  help: string;
  /** One line about the node on the canvas. */
  summary(node: N): string;
  /** The side panel's form for this type's own fields (above the code editor, for code nodes). */
  Form?: ComponentType<{ node: N }>;
}

/**
 * Everything the IDE knows about one kind of node: the counterpart of its definition in
 * `shared/src/nodeTypes/`. Code nodes must say how their code is edited; others must not.
 */
export type NodeTypeView<N extends GraphNode> = NodeTypeViewBase<N> &
  (N extends CodeNode ? { code: CodeEditing } : { code?: never });
