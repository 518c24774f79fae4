import { create } from 'zustand';
import { validateGraph } from '@plinth/shared';
import type { GraphDocument } from '@plinth/shared';
import { useGraphStore } from '../store/graphStore.ts';
import { onlyPositionsDiffer } from '../store/onlyPositionsDiffer.ts';
import { locateProblems } from './locateProblems.ts';
import type { Validation } from './locateProblems.ts';

function validate(doc: GraphDocument): Validation {
  const result = validateGraph(doc);
  return locateProblems(doc, result.ok ? [] : result.problems);
}

/**
 * `validateGraph` of the document being edited, kept outside React and recomputed
 * only when something other than node positions changed: components subscribe to
 * it narrowly, and dragging 200 nodes does not re-validate or re-render panels.
 */
export const useValidationStore = create<{ validation: Validation }>()(() => ({
  validation: validate(useGraphStore.getState().document),
}));

let validatedDoc = useGraphStore.getState().document;
useGraphStore.subscribe((state) => {
  const doc = state.document;
  if (doc === validatedDoc) return;
  const structural = !onlyPositionsDiffer(validatedDoc, doc);
  validatedDoc = doc;
  if (structural) useValidationStore.setState({ validation: validate(doc) });
});

export const useValidation = (): Validation => useValidationStore((s) => s.validation);
