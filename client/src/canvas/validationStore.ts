import { create } from 'zustand';
import type { GraphDocument } from '@plinth/shared';
import { useGraphStore } from '../store/graphStore.ts';
import { onlyPositionsDiffer } from '../store/onlyPositionsDiffer.ts';
import { loadShared } from '../api/loadShared.ts';
import type { SharedModule } from '../api/loadShared.ts';
import { locateProblems } from './locateProblems.ts';
import type { Validation } from './locateProblems.ts';

const NOTHING_YET: Validation = { problems: [], byNode: new Map(), byEdge: new Map() };

function validate(shared: SharedModule, doc: GraphDocument): Validation {
  const result = shared.validateGraph(doc);
  return locateProblems(doc, result.ok ? [] : result.problems);
}

/**
 * `validateGraph` of the document being edited, kept outside React and recomputed
 * only when something other than node positions changed: components subscribe to
 * it narrowly, and dragging 200 nodes does not re-validate or re-render panels.
 * The validator loads just after the first canvas is drawn (see `loadShared`).
 */
export const useValidationStore = create<{ validation: Validation }>()(() => ({ validation: NOTHING_YET }));

let shared: SharedModule | null = null;
let validatedDoc: GraphDocument | null = null;

function revalidate(doc: GraphDocument): void {
  if (shared === null || doc === validatedDoc) return;
  const structural = validatedDoc === null || !onlyPositionsDiffer(validatedDoc, doc);
  validatedDoc = doc;
  if (structural) useValidationStore.setState({ validation: validate(shared, doc) });
}

useGraphStore.subscribe((state) => revalidate(state.document));
void loadShared().then((mod) => {
  shared = mod;
  revalidate(useGraphStore.getState().document);
});

export const useValidation = (): Validation => useValidationStore((s) => s.validation);
