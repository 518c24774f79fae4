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
      description: 'Features → the payment-risk model → approve/review branch → response',
      document: sampleGraph(),
    },
    {
      id: 'breast-cancer-triage',
      title: 'Breast cancer triage',
      description: 'Measurements → the breast-cancer model (scikit-learn) → refer/routine branch → answer',
      document: load('zoo-breast-cancer.json'),
    },
    {
      id: 'digit-reader',
      title: 'Digit reader',
      description: 'An 8×8 image → the digits model (scikit-learn) → confident/unsure branch → answer',
      document: load('zoo-digits.json'),
    },
    {
      id: 'iris-sorter',
      title: 'Iris sorter',
      description: 'Flower measurements → the iris-torch model (PyTorch) → sure/unsure branch → answer',
      document: load('zoo-iris.json'),
    },
  ];
}
