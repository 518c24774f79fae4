import type { Problem } from '../errors.ts';
import { branchNode } from './branch.ts';
import type { CheckTools, NodeOf, NodeSite, NodeTypeDefinition } from './defineNodeType.ts';
import { inputNode } from './input.ts';
import { modelNode } from './model.ts';
import { outputNode } from './output.ts';
import { pythonNode } from './python.ts';

/**
 * The node-type registry: every kind of node, once, in the palette's order. A new kind is one
 * file beside these and one line here (and one file in the IDE's `client/src/nodeTypes/`).
 * This module loads without zod; `nodeSchemas.ts` builds the schemas from it.
 */
export const nodeTypes = {
  input: inputNode,
  python: pythonNode,
  model: modelNode,
  branch: branchNode,
  output: outputNode,
} as const;

export type NodeType = keyof typeof nodeTypes;
export type NodeOfType<T extends NodeType> = NodeOf<(typeof nodeTypes)[T]>;
export type GraphNode = { [T in NodeType]: NodeOfType<T> }[NodeType];

export type InputNode = NodeOfType<'input'>;
export type PythonNode = NodeOfType<'python'>;
export type ModelNode = NodeOfType<'model'>;
export type BranchNode = NodeOfType<'branch'>;
export type OutputNode = NodeOfType<'output'>;

export const NODE_TYPES = Object.keys(nodeTypes) as readonly NodeType[];

/** The definition of a node's type, typed for that node. */
export function nodeTypeOf<N extends GraphNode>(node: N): NodeTypeDefinition<N> {
  return nodeTypes[node.type] as unknown as NodeTypeDefinition<N>;
}

export function isNodeType(type: unknown): type is NodeType {
  return typeof type === 'string' && Object.hasOwn(nodeTypes, type);
}

/** Runs the rules of a node's type that its schema cannot say (see `NodeTypeDefinition.check`). */
export function checkNode(node: GraphNode, site: NodeSite, problems: Problem[], tools: CheckTools): void {
  nodeTypeOf(node).check?.(node, site, problems, tools);
}

/** The graph's node whose `data` is the request body (the input node). */
export function requestNodeOf<N extends { type: string }>(nodes: readonly N[]): N | undefined {
  return nodes.find((n) => isNodeType(n.type) && nodeTypes[n.type].endpoint === 'request');
}

/** Nodes whose Python code runs in a worker. */
export type CodeNode = Extract<GraphNode, { code: string }>;
export function isCodeNode(node: GraphNode): node is CodeNode {
  return nodeTypeOf(node).execution === 'code';
}

/** The routes of a router node (a branch), or undefined for any other node. */
export function routesOf(node: GraphNode): readonly string[] | undefined {
  return nodeTypeOf(node).routes?.(node);
}

export { DEFAULT_PYTHON_CODE } from './python.ts';
export { DEFAULT_BRANCH_CODE } from './branch.ts';
export * from './defineNodeType.ts';
