import type { GraphDocument, GraphNode } from '@plinth/shared/graph';
import { edgeKey } from '../store/documentEdits.ts';
import { lineDiff, type DiffLine } from './lineDiff.ts';

/** How one node differs between two versions; positions are not a change. */
export interface NodeDiff {
  id: string;
  status: 'added' | 'removed' | 'changed';
  /** The code, line by line, when the node has code and it changed (or came or went). */
  code: DiffLine[] | null;
  /** Every other field, as JSON lines, when one of them changed. */
  fields: DiffLine[] | null;
}

export interface VersionDiff {
  nodes: NodeDiff[];
  addedEdges: string[];
  removedEdges: string[];
  /** Graph-level fields (description, secrets, ...) as JSON lines, when one changed. */
  graph: DiffLine[] | null;
}

function split(node: GraphNode | undefined): { code: string | null; fields: string } {
  if (node === undefined) return { code: null, fields: '' };
  const { position: _p, ...rest } = node;
  const code = 'code' in rest && typeof rest.code === 'string' ? rest.code : null;
  const { code: _c, ...fields } = rest as Record<string, unknown>;
  return { code, fields: JSON.stringify(fields, null, 2) };
}

const changed = (lines: DiffLine[]) => lines.some((l) => l.kind !== 'same');

/** Node by node (code apart from the other fields), then the edges and the graph's own fields. */
export function diffVersions(before: GraphDocument, after: GraphDocument): VersionDiff {
  const ids = [...new Set([...before.nodes.map((n) => n.id), ...after.nodes.map((n) => n.id)])];
  const nodes: NodeDiff[] = [];
  for (const id of ids) {
    const a = before.nodes.find((n) => n.id === id);
    const b = after.nodes.find((n) => n.id === id);
    const sa = split(a);
    const sb = split(b);
    const code = sa.code === sb.code ? null : lineDiff(sa.code ?? '', sb.code ?? '');
    const fields = sa.fields === sb.fields ? null : lineDiff(sa.fields, sb.fields);
    if (code === null && fields === null) continue;
    nodes.push({
      id,
      status: a === undefined ? 'added' : b === undefined ? 'removed' : 'changed',
      code: code !== null && changed(code) ? code : null,
      fields: fields !== null && changed(fields) ? fields : null,
    });
  }
  const keysA = new Set(before.edges.map(edgeKey));
  const keysB = new Set(after.edges.map(edgeKey));
  const rest = (d: GraphDocument) => {
    const { nodes: _n, edges: _e, ...fields } = d;
    return JSON.stringify(fields, null, 2);
  };
  const graph = lineDiff(rest(before), rest(after));
  return {
    nodes,
    addedEdges: [...keysB].filter((k) => !keysA.has(k)),
    removedEdges: [...keysA].filter((k) => !keysB.has(k)),
    graph: changed(graph) ? graph : null,
  };
}
