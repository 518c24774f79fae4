import {
  GRAPH_FORMAT,
  GRAPH_NAME_PATTERN,
  isNodeType,
  jsonValueProblem,
  MAX_DOCUMENT_DEPTH,
  PlinthError,
  validateGraph,
  type GraphDocument,
  type Problem,
} from '@plinth/shared';

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

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * What a draft must be to be kept: a document the IDE can open. Its name (its address), a
 * format, nodes that each have an id and a known type, edges that each name two ends. How
 * the parts fit together (a cycle, a missing output, a bad field) may be unfinished: only
 * publishing and test runs need the whole graph valid.
 */
function draftShapeProblems(doc: unknown): Problem[] {
  if (!isObject(doc)) return [{ path: '', message: 'a graph document must be a JSON object' }];
  const unfit = jsonValueProblem(doc, MAX_DOCUMENT_DEPTH);
  if (unfit)
    return [
      { path: unfit.path.replace(/^\./, ''), message: 'the document is too deep or holds a number too large for JSON' },
    ];
  const problems: Problem[] = [];
  if (doc.format !== GRAPH_FORMAT) problems.push({ path: 'format', message: `format must be "${GRAPH_FORMAT}"` });
  if (typeof doc.name !== 'string' || !GRAPH_NAME_PATTERN.test(doc.name))
    problems.push({ path: 'name', message: `name must match ${GRAPH_NAME_PATTERN.source}` });
  if (doc.description !== undefined && typeof doc.description !== 'string')
    problems.push({ path: 'description', message: 'description must be a string' });
  if (!Array.isArray(doc.nodes)) problems.push({ path: 'nodes', message: 'nodes must be an array' });
  else
    doc.nodes.forEach((node: unknown, i) => {
      if (!isObject(node) || typeof node.id !== 'string' || !isNodeType(node.type))
        problems.push({ path: `nodes[${i}]`, message: 'a node must be an object with a string id and a known type' });
    });
  if (!Array.isArray(doc.edges)) problems.push({ path: 'edges', message: 'edges must be an array' });
  else
    doc.edges.forEach((edge: unknown, i) => {
      if (!isObject(edge) || typeof edge.source !== 'string' || typeof edge.target !== 'string')
        problems.push({ path: `edges[${i}]`, message: 'an edge must be an object with a string source and target' });
    });
  return problems;
}

/**
 * Parses a draft as `PUT /graphs/{name}` receives it: a valid document is normalised as
 * `parseDocument` does; one with problems is kept exactly as sent when it has a draft's shape
 * (see `draftShapeProblems`), and refused with every problem listed otherwise.
 */
export function parseDraft(doc: unknown): GraphDocument {
  const result = validateGraph(doc);
  if (result.ok) return result.graph;
  if (draftShapeProblems(doc).length === 0) return doc as GraphDocument;
  return parseDocument(doc);
}

/** The draft as a run or a publish needs it: every problem listed in one 400 otherwise. */
export function requireValidDraft(doc: GraphDocument, doing: 'publish' | 'test'): GraphDocument {
  const result = validateGraph(doc);
  if (result.ok) return result.graph;
  const count = result.problems.length;
  const first = result.problems[0];
  const summary = first ? `; the first: ${first.path ? `${first.path}: ` : ''}${first.message}` : '';
  throw new PlinthError(
    'invalid_document',
    `the draft has ${count} problem${count === 1 ? '' : 's'} to fix before it can be ${doing === 'publish' ? 'published' : 'run'}${summary}`,
    { problems: result.problems },
  );
}

/** Reads a document the server stored itself (a version was validated when published; a draft may have problems). */
export function loadDocument(text: string): GraphDocument {
  return JSON.parse(text) as GraphDocument;
}

export function graphNotFound(name: string): PlinthError {
  return new PlinthError('not_found', `there is no graph named "${name}"`, { graph: name });
}

export function versionNotFound(name: string, version: number): PlinthError {
  return new PlinthError('not_found', `graph "${name}" has no version ${version}`, { graph: name, version });
}
