import { PlinthError, validateGraph, type GraphDocument } from '@plinth/shared';

/** Validates a document as the API receives it; every problem is listed in one 400. */
export function parseDocument(doc: unknown): GraphDocument {
  const result = validateGraph(doc);
  if (!result.ok) {
    const count = result.problems.length;
    const first = result.problems[0];
    const summary = first ? `: ${first.path ? `${first.path}: ` : ''}${first.message}` : '';
    throw new PlinthError(
      'invalid_document',
      `the graph document has ${count} problem${count === 1 ? '' : 's'}${count > 1 ? `, the first${summary}` : summary}`,
      { problems: result.problems },
    );
  }
  return result.graph;
}

/** Reads a document the server stored itself (already validated when saved). */
export function loadDocument(text: string): GraphDocument {
  return JSON.parse(text) as GraphDocument;
}

export function graphNotFound(name: string): PlinthError {
  return new PlinthError('not_found', `there is no graph named "${name}"`, { graph: name });
}

export function versionNotFound(name: string, version: number): PlinthError {
  return new PlinthError('not_found', `graph "${name}" has no version ${version}`, { graph: name, version });
}
