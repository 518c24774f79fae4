import type { GraphDocumentInput } from '../graphSchema.ts';

/** A small valid graph: input → features → decide (branch) → approve|review → output. */
export function routingGraph(): GraphDocumentInput {
  return {
    format: 'plinth.graph/v1',
    name: 'routing',
    nodes: [
      {
        id: 'input',
        type: 'input',
        position: { x: 0, y: 0 },
        schema: { type: 'object', required: ['amount'], properties: { amount: { type: 'number' } } },
      },
      { id: 'features', type: 'python', position: { x: 1, y: 0 }, code: 'features' },
      { id: 'decide', type: 'branch', position: { x: 2, y: 0 }, branches: ['approve', 'review'], code: 'decide' },
      { id: 'approve', type: 'python', position: { x: 3, y: 0 }, code: 'approve' },
      { id: 'review', type: 'python', position: { x: 3, y: 1 }, code: 'review' },
      { id: 'output', type: 'output', position: { x: 4, y: 0 } },
    ],
    edges: [
      { source: 'input', target: 'features' },
      { source: 'features', target: 'decide' },
      { source: 'decide', branch: 'approve', target: 'approve' },
      { source: 'decide', branch: 'review', target: 'review' },
      { source: 'approve', target: 'output' },
      { source: 'review', target: 'output' },
    ],
  };
}
