import { validateGraph } from '@plinth/shared';
import type { GraphDocument, Problem } from '@plinth/shared';

export type ImportResult = { ok: true; document: GraphDocument } | { ok: false; problems: Problem[] };

/** Parse and validate an exported `.json` graph document. */
export function parseGraphFile(text: string): ImportResult {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { ok: false, problems: [{ path: '', message: `not valid JSON: ${(error as Error).message}` }] };
  }
  const result = validateGraph(json);
  return result.ok ? { ok: true, document: result.graph } : { ok: false, problems: result.problems };
}
