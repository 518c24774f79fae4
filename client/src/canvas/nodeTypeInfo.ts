import type { NodeType } from '@plinth/shared';

/** The palette's order; `satisfies` keeps it in step with the schema's node types. */
export const PALETTE_TYPES = ['input', 'python', 'model', 'branch', 'output'] as const satisfies readonly NodeType[];

export const NODE_TYPE_INFO: Record<NodeType, { label: string; icon: string; help: string }> = {
  input: { label: 'Input', icon: '→', help: 'The request body, checked against a JSON Schema' },
  python: { label: 'Python', icon: 'λ', help: 'def process(data, ctx) returns the output' },
  model: { label: 'Model', icon: '▣', help: "Calls a deployed model's predict" },
  branch: { label: 'Branch', icon: '◇', help: 'process returns which branch carries the data on' },
  output: { label: 'Output', icon: '⇥', help: 'Its input is the response' },
};
