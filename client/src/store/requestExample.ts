import { requestNodeOf, type GraphNode, type Json } from '@plinth/shared/graph';

/** The graph's sample request (its request node's `example`): the IDE's default test input. */
export function requestExample(nodes: readonly GraphNode[]): Json | undefined {
  const node = requestNodeOf(nodes);
  return node !== undefined && 'example' in node ? node.example : undefined;
}
