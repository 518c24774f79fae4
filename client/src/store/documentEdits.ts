import {
  NODE_ID_PATTERN,
  routesOf,
  type GraphDocument,
  type GraphEdge,
  type GraphNode,
  type Position,
} from '@plinth/shared/graph';

/**
 * The edits the editor makes to a document, as pure functions: each returns a new document
 * (sharing every untouched node and edge), or the same document when nothing changes.
 */

export interface ConnectRequest {
  source: string;
  target: string;
  /** Required when `source` is a router (a branch node): which route this edge carries. */
  branch?: string;
}

/** A stable key for an edge (edges carry no id in the document). */
export function edgeKey(edge: GraphEdge): string {
  return `${edge.source}->${edge.target}${edge.branch === undefined ? '' : `#${edge.branch}`}`;
}

export function emptyDocument(name = 'untitled'): GraphDocument {
  return { format: 'plinth.graph/v1', name, description: '', nodes: [], edges: [], keepRunPayloads: true, secrets: [] };
}

/** Patch one node's fields (never its id or type); edges labelled with a route it no longer has go. */
export function withNodeUpdated(doc: GraphDocument, id: string, patch: Partial<GraphNode>): GraphDocument {
  const index = doc.nodes.findIndex((n) => n.id === id);
  const node = doc.nodes[index];
  if (node === undefined) return doc;
  // The id and type are not patchable here: renaming rewrites edges (withNodeRenamed).
  const { id: _id, type: _type, ...rest } = patch;
  const updated = { ...node, ...rest };
  const nodes = doc.nodes.slice();
  nodes[index] = updated;
  // Dropping a route (a branch) drops the edges that were labelled with it.
  const routes = routesOf(updated);
  const changedRoutes = routes !== undefined && routes !== routesOf(node);
  const lost = (e: GraphEdge) =>
    changedRoutes && e.source === id && e.branch !== undefined && !routes.includes(e.branch);
  return { ...doc, nodes, edges: doc.edges.some(lost) ? doc.edges.filter((e) => !lost(e)) : doc.edges };
}

/**
 * Rename one branch of a branch node and relabel the edges that carried it, so they stay. A message
 * when the new name will not do (empty, or another branch's); the document is then left as it is.
 */
export function withBranchRenamed(
  doc: GraphDocument,
  id: string,
  index: number,
  name: string,
): { ok: true; document: GraphDocument } | { ok: false; message: string } {
  const node = doc.nodes.find((n) => n.id === id);
  const routes = node === undefined ? undefined : routesOf(node);
  const old = routes?.[index];
  if (node === undefined || node.type !== 'branch' || old === undefined) {
    return { ok: false, message: `No branch ${index + 1} on node "${id}".` };
  }
  if (name === old) return { ok: true, document: doc };
  if (name.trim() === '') return { ok: false, message: 'A branch needs a name.' };
  if (node.branches.some((b, i) => i !== index && b === name)) {
    return { ok: false, message: `There is already a branch "${name}".` };
  }
  const branches = node.branches.map((b, i) => (i === index ? name : b));
  return {
    ok: true,
    document: {
      ...doc,
      nodes: doc.nodes.map((n) => (n === node ? { ...node, branches } : n)),
      edges: doc.edges.map((e) => (e.source === id && e.branch === old ? { ...e, branch: name } : e)),
    },
  };
}

/** Rename a node and rewrite its edges; a message a person can act on when the new id will not do. */
export function withNodeRenamed(
  doc: GraphDocument,
  id: string,
  newId: string,
): { ok: true; document: GraphDocument } | { ok: false; message: string } {
  if (id === newId) return { ok: true, document: doc };
  if (!NODE_ID_PATTERN.test(newId)) {
    return {
      ok: false,
      message: 'Use lowercase letters, digits and _ (not starting with a digit), at most 63 characters.',
    };
  }
  if (doc.nodes.some((n) => n.id === newId)) return { ok: false, message: `A node named "${newId}" already exists.` };
  if (!doc.nodes.some((n) => n.id === id)) return { ok: false, message: `No node "${id}".` };
  const renamed = (nodeId: string) => (nodeId === id ? newId : nodeId);
  return {
    ok: true,
    document: {
      ...doc,
      nodes: doc.nodes.map((n) => (n.id === id ? { ...n, id: newId } : n)),
      edges: doc.edges.map((e) => ({ ...e, source: renamed(e.source), target: renamed(e.target) })),
    },
  };
}

/** Add an edge; the same document for an exact duplicate or a self-loop. */
export function withEdge(doc: GraphDocument, { source, target, branch }: ConnectRequest): GraphDocument {
  if (source === target) return doc;
  const sourceNode = doc.nodes.find((n) => n.id === source);
  const routed = sourceNode !== undefined && routesOf(sourceNode) !== undefined && branch !== undefined;
  const edge: GraphEdge = routed ? { source, target, branch } : { source, target };
  const key = edgeKey(edge);
  if (doc.edges.some((e) => edgeKey(e) === key)) return doc;
  return { ...doc, edges: [...doc.edges, edge] };
}

/** Remove nodes (with their edges) and edges; the same document when none of them exist. */
export function without(
  doc: GraphDocument,
  nodeIds: ReadonlySet<string>,
  edgeKeys: ReadonlySet<string>,
): GraphDocument {
  const nodes = doc.nodes.filter((n) => !nodeIds.has(n.id));
  const edges = doc.edges.filter((e) => !nodeIds.has(e.source) && !nodeIds.has(e.target) && !edgeKeys.has(edgeKey(e)));
  return nodes.length === doc.nodes.length && edges.length === doc.edges.length ? doc : { ...doc, nodes, edges };
}

/** Move nodes; the same document when none of them moves. */
export function withPositions(doc: GraphDocument, positions: Readonly<Record<string, Position>>): GraphDocument {
  let changed = false;
  const nodes = doc.nodes.map((n) => {
    const p = positions[n.id];
    if (p === undefined || (p.x === n.position.x && p.y === n.position.y)) return n;
    changed = true;
    return { ...n, position: { x: p.x, y: p.y } };
  });
  return changed ? { ...doc, nodes } : doc;
}
