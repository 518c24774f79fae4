import { readFileSync } from 'node:fs';
import type { GraphDocument } from '@plinth/shared';

export interface GraphTemplate {
  id: string;
  title: string;
  description: string;
  document: GraphDocument;
}

const load = (file: string): GraphDocument =>
  JSON.parse(readFileSync(new URL(`../samples/${file}`, import.meta.url), 'utf8')) as GraphDocument;

/** The sample graph created on first start. */
export const sampleGraph = (): GraphDocument => load('payment-scoring.json');

/** Starting points for "new graph" in the IDE. */
export function listTemplates(): GraphTemplate[] {
  return [
    {
      id: 'empty',
      title: 'Empty',
      description: 'An input, one Python step and an output',
      document: load('empty.json'),
    },
    {
      id: 'payment-scoring',
      title: 'Payment scoring',
      description: 'Features → logistic score → approve/review branch → response, in stdlib Python',
      document: sampleGraph(),
    },
  ];
}
