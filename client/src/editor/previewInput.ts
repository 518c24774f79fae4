import type { RunTrace } from '@plinth/shared';
import { requestNodeOf, type GraphDocument, type GraphNode, type Json } from '@plinth/shared/graph';
import { requestExample } from '../store/requestExample.ts';

export type PreviewInputSource = 'pinned' | 'last run' | 'input example' | 'none';

export interface PreviewInput {
  value: Json | undefined;
  source: PreviewInputSource;
}

/**
 * What a preview feeds a node by default: its pinned sample, else what the last
 * test run fed it, else (for a node right after the input node) the input's example.
 */
export function defaultPreviewInput(doc: GraphDocument, node: GraphNode, lastRun: RunTrace | null): PreviewInput {
  if (node.pinnedInput !== undefined) return { value: node.pinnedInput, source: 'pinned' };
  const trace = lastRun?.nodes[node.id];
  const fed = trace !== undefined && 'input' in trace ? trace.input : undefined;
  if (fed !== undefined) return { value: fed, source: 'last run' };
  const upstream = doc.edges.filter((edge) => edge.target === node.id).map((edge) => edge.source);
  const request = requestNodeOf(doc.nodes);
  const example = requestExample(doc.nodes);
  if (request !== undefined && upstream.length === 1 && upstream[0] === request.id && example !== undefined) {
    return { value: example, source: 'input example' };
  }
  return { value: undefined, source: 'none' };
}

/** The preview input as text for the editable box. */
export function formatPreviewInput(value: Json | undefined): string {
  return value === undefined ? '' : JSON.stringify(value, null, 2);
}

/** Parse the box's text; an empty box means `null`, as a node with no data would get. */
export function parsePreviewInput(text: string): { ok: true; value: Json } | { ok: false; message: string } {
  if (text.trim() === '') return { ok: true, value: null };
  try {
    return { ok: true, value: JSON.parse(text) as Json };
  } catch (err) {
    return { ok: false, message: `The preview input is not valid JSON: ${(err as Error).message}` };
  }
}
