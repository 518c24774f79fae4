import type { GraphDocument, GraphEdge, GraphNode } from '@plinth/shared/graph';
import { edgeKey } from '../store/documentEdits.ts';

/** Where both sides changed the same thing differently: a node (by id) or a graph field. */
export type MergeConflict = { kind: 'node'; nodeId: string } | { kind: 'field'; field: string };

export type MergeResult = { ok: true; document: GraphDocument } | { ok: false; conflicts: MergeConflict[] };

// Documents come from JSON, so comparing their JSON text is a deep comparison
// (the same editor writes keys in the same order).
const same = (a: unknown, b: unknown): boolean => a === b || JSON.stringify(a) === JSON.stringify(b);

/** The usual three-way rule for one value: whoever changed it wins; both changing it alike is fine. */
function pick<T>(base: T, mine: T, theirs: T): { ok: true; value: T } | { ok: false } {
  if (same(mine, base)) return { ok: true, value: theirs };
  if (same(theirs, base) || same(mine, theirs)) return { ok: true, value: mine };
  return { ok: false };
}

function withoutPosition(node: GraphNode | undefined): unknown {
  if (node === undefined) return undefined;
  const { position: _position, ...rest } = node;
  return rest;
}

/** One node, by id, from each side (undefined: absent there). */
function mergeNode(
  base: GraphNode | undefined,
  mine: GraphNode | undefined,
  theirs: GraphNode | undefined,
): { ok: true; node: GraphNode | undefined } | { ok: false } {
  const whole = pick(base, mine, theirs);
  if (whole.ok) return { ok: true, node: whole.value };
  // Moving a node is not a conflict with editing it: merge its content and place apart.
  if (mine === undefined || theirs === undefined) return { ok: false };
  const content = pick(withoutPosition(base), withoutPosition(mine), withoutPosition(theirs));
  if (!content.ok) return { ok: false };
  const position = pick(base?.position, mine.position, theirs.position);
  const source = same(content.value, withoutPosition(mine)) ? mine : theirs;
  return { ok: true, node: { ...source, position: position.ok ? (position.value ?? mine.position) : mine.position } };
}

function mergeEdges(base: GraphDocument, mine: GraphDocument, theirs: GraphDocument, ids: Set<string>): GraphEdge[] {
  const inBase = new Set(base.edges.map(edgeKey));
  const inTheirs = new Set(theirs.edges.map(edgeKey));
  const inMine = new Set(mine.edges.map(edgeKey));
  // An edge stays if neither side removed it, and comes in if either side added it.
  const keep = (key: string, other: Set<string>) => other.has(key) || !inBase.has(key);
  const edges = [
    ...mine.edges.filter((e) => keep(edgeKey(e), inTheirs)),
    ...theirs.edges.filter((e) => !inMine.has(edgeKey(e)) && keep(edgeKey(e), inMine)),
  ];
  // An edge to a node the other side deleted goes with it.
  return edges.filter((e) => ids.has(e.source) && ids.has(e.target));
}

const FIELDS = ['format', 'name', 'description', 'keepRunPayloads', 'secrets'] as const;

/**
 * Three-way merge of two edits of one draft, node by node: `base` is the revision both started
 * from, `mine` what this tab has, `theirs` what was saved in between. Nodes, edges and graph
 * fields that only one side changed take that side's change; a node (or field) that both changed
 * differently is a conflict, and nothing is merged. A node moved on one side and edited on the
 * other is merged. The result may have problems (e.g. a cycle made of both sides' edges): it is a
 * draft, which may.
 */
export function mergeDrafts(base: GraphDocument, mine: GraphDocument, theirs: GraphDocument): MergeResult {
  const conflicts: MergeConflict[] = [];
  const merged: Partial<GraphDocument> = {};
  for (const field of FIELDS) {
    const value = pick(base[field], mine[field], theirs[field]);
    if (value.ok) Object.assign(merged, { [field]: value.value });
    else conflicts.push({ kind: 'field', field });
  }
  const byId = (doc: GraphDocument) => new Map(doc.nodes.map((n) => [n.id, n]));
  const [b, m, t] = [byId(base), byId(mine), byId(theirs)];
  // Mine's order first, then what only theirs has.
  const order = [...new Set([...m.keys(), ...t.keys(), ...b.keys()])];
  const nodes: GraphNode[] = [];
  for (const id of order) {
    const node = mergeNode(b.get(id), m.get(id), t.get(id));
    if (!node.ok) conflicts.push({ kind: 'node', nodeId: id });
    else if (node.node !== undefined) nodes.push(node.node);
  }
  if (conflicts.length > 0) return { ok: false, conflicts };
  const edges = mergeEdges(base, mine, theirs, new Set(nodes.map((n) => n.id)));
  return { ok: true, document: { ...(merged as GraphDocument), nodes, edges } };
}

/** "node `score`, the description" */
export function describeConflicts(conflicts: readonly MergeConflict[]): string {
  return conflicts.map((c) => (c.kind === 'node' ? `node ${c.nodeId}` : `the graph's ${c.field}`)).join(', ');
}
