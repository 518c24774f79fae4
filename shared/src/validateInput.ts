import type { Problem } from './errors.ts';
import type { GraphDocument, InputNode } from './graphSchema.ts';
import { schemaProblems } from './jsonSchema.ts';

/** Checks a request body against the graph's input node schema (no schema: anything JSON goes). */
export function validateInput(graph: GraphDocument, input: unknown): Problem[] {
  const node = graph.nodes.find((n): n is InputNode => n.type === 'input');
  if (!node?.schema) return [];
  return schemaProblems(node.schema, input, 'input').map((p) => ({ ...p, nodeId: node.id }));
}
