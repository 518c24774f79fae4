import type { GraphDocument } from '@plinth/shared';
import { GRAPH_NAME_PATTERN } from '@plinth/shared/limits';

/** "From scratch": the two nodes every graph needs, already wired. */
export function scratchDocument(name: string, description: string): GraphDocument {
  return {
    format: 'plinth.graph/v1',
    name,
    description,
    keepRunPayloads: true,
    secrets: [],
    nodes: [
      { id: 'input', type: 'input', position: { x: 0, y: 0 }, schema: { type: 'object' }, example: {} },
      { id: 'output', type: 'output', position: { x: 400, y: 0 } },
    ],
    edges: [{ source: 'input', target: 'output' }],
  };
}

/** A problem with a proposed graph name, or null when it is fine. */
export function graphNameProblem(name: string, taken: readonly string[]): string | null {
  if (name === '') return 'Give the graph a name.';
  if (!GRAPH_NAME_PATTERN.test(name)) {
    return 'Use lowercase letters, digits and dashes, starting with a letter (at most 63 characters): it becomes part of the API URL.';
  }
  if (taken.includes(name)) return `A graph named "${name}" already exists.`;
  return null;
}
