import type { Problem } from './errors.ts';
import { requestNodeOf, type GraphDocument, type InputNode } from './graphSchema.ts';
import { schemaProblems } from './jsonSchema.ts';

/** Checks a request body against the graph's input node schema (no schema: anything JSON goes). */
export function validateInput(graph: GraphDocument, input: unknown): Problem[] {
  const node = requestNodeOf(graph.nodes) as InputNode | undefined;
  if (!node?.schema) return [];
  return schemaProblems(node.schema, input, 'input').map((p) => ({ ...p, nodeId: node.id }));
}
