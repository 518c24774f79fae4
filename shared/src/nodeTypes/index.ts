import { z } from 'zod';
import type { Problem } from '../errors.ts';
import type { NodeSite, NodeTypeDefinition } from './defineNodeType.ts';
import { branchNode, BranchNodeSchema, type BranchNode } from './branch.ts';
import { inputNode, InputNodeSchema, type InputNode } from './input.ts';
import { modelNode, ModelNodeSchema, type ModelNode } from './model.ts';
import { outputNode, OutputNodeSchema, type OutputNode } from './output.ts';
import { pythonNode, PythonNodeSchema, type PythonNode } from './python.ts';

/**
 * The node-type registry: every kind of node, once. A new kind is one file beside these and
 * one line in each of the two lists below (and one file in the IDE's `client/src/nodeTypes/`).
 */
export const NodeSchema = z.discriminatedUnion('type', [
  InputNodeSchema,
  PythonNodeSchema,
  ModelNodeSchema,
  BranchNodeSchema,
  OutputNodeSchema,
]);
export type GraphNode = z.infer<typeof NodeSchema>;
export type NodeType = GraphNode['type'];

/** Each type's definition, in the palette's order. */
export const nodeTypes: { readonly [T in NodeType]: NodeTypeDefinition<Extract<GraphNode, { type: T }>> } = {
  input: inputNode,
  python: pythonNode,
  model: modelNode,
  branch: branchNode,
  output: outputNode,
};

export const NODE_TYPES = Object.keys(nodeTypes) as readonly NodeType[];

/** The definition of a node's type. */
export function nodeTypeOf<N extends GraphNode>(node: N): NodeTypeDefinition<N> {
  return nodeTypes[node.type] as unknown as NodeTypeDefinition<N>;
}

export function isNodeType(type: unknown): type is NodeType {
  return typeof type === 'string' && Object.hasOwn(nodeTypes, type);
}

/** Runs the rules of a node's type that its schema cannot say (see `NodeTypeDefinition.check`). */
export function checkNode(node: GraphNode, site: NodeSite, problems: Problem[]): void {
  nodeTypeOf(node).check?.(node, site, problems);
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

export type { InputNode, PythonNode, ModelNode, BranchNode, OutputNode };
export { InputNodeSchema, PythonNodeSchema, ModelNodeSchema, BranchNodeSchema, OutputNodeSchema };
export { DEFAULT_PYTHON_CODE } from './python.ts';
export { DEFAULT_BRANCH_CODE } from './branch.ts';
export * from './defineNodeType.ts';
