import type { z } from 'zod';
import { compileSchema } from './jsonSchema.ts';
import { jsonValueProblem, MAX_DOCUMENT_DEPTH } from './jsonLimits.ts';
import type { Problem } from './errors.ts';
import {
  GRAPH_FORMAT,
  GRAPH_NAME_PATTERN,
  GraphDocumentSchema,
  NODE_ID_PATTERN,
  SECRET_NAME_PATTERN,
  NODE_TYPES,
  EdgeSchema,
  checkNode,
  isNodeType,
  nodeSchemas,
  nodeTypeOf,
  nodeTypes,
  routesOf,
  type GraphDocument,
  type GraphNode,
  type NodeType,
} from './graphSchema.ts';

export type ValidationResult = { ok: true; graph: GraphDocument } | { ok: false; problems: Problem[] };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const quote = (v: unknown) => JSON.stringify(v);

function zodProblems(error: z.ZodError, base: string, nodeId?: string): Problem[] {
  return error.issues.map((issue) => {
    const path = issue.path.reduce<string>(
      (acc, key) => (typeof key === 'number' ? `${acc}[${key}]` : `${acc}.${String(key)}`),
      base,
    );
    return { path, ...(nodeId ? { nodeId } : {}), message: issue.message };
  });
}

/**
 * Checks a graph document against every rule of `plinth.graph/v1` and lists all
 * problems at once, each located by path (and node id), so nothing is half-saved
 * and the user sees everything to fix in one go.
 */
export function validateGraph(doc: unknown): ValidationResult {
  if (!isObject(doc)) return { ok: false, problems: [{ path: '', message: 'a graph document must be a JSON object' }] };
  // Checked first and without recursion: the rules below (and zod) recurse into examples and schemas.
  const unfit = jsonValueProblem(doc, MAX_DOCUMENT_DEPTH);
  if (unfit) {
    const path = unfit.path.replace(/^\./, '');
    const message =
      unfit.kind === 'too_deep'
        ? `the document is nested more than ${MAX_DOCUMENT_DEPTH} levels deep here`
        : 'this number is too large for JSON';
    return { ok: false, problems: [{ path, message }] };
  }

  const problems: Problem[] = [];
  if (doc.format !== GRAPH_FORMAT) {
    problems.push({ path: 'format', message: `format must be ${quote(GRAPH_FORMAT)}, got ${quote(doc.format)}` });
  }
  if (typeof doc.name !== 'string' || !GRAPH_NAME_PATTERN.test(doc.name)) {
    problems.push({
      path: 'name',
      message: `name ${quote(doc.name)} must match ${GRAPH_NAME_PATTERN.source} (lowercase letters, digits and dashes, starting with a letter, at most 63 characters)`,
    });
  }
  if (doc.description !== undefined && typeof doc.description !== 'string') {
    problems.push({ path: 'description', message: 'description must be a string' });
  }
  checkSecretNames(doc.secrets, problems);
  const nodes = checkNodes(doc.nodes, problems);
  const edges = checkEdges(doc.edges, nodes, problems);
  if (nodes && edges) checkCycles(nodes, edges, problems);
  if (nodes && edges && problems.length === 0) checkOutputReached(nodes, edges, problems);

  if (problems.length > 0) return { ok: false, problems };
  const parsed = GraphDocumentSchema.safeParse(doc);
  // Every rule above is at least as strict as the schema; this only fills in defaults.
  if (!parsed.success) return { ok: false, problems: zodProblems(parsed.error, '') };
  return { ok: true, graph: parsed.data };
}

function checkSecretNames(raw: unknown, problems: Problem[]): void {
  if (raw === undefined) return;
  if (!Array.isArray(raw))
    return void problems.push({ path: 'secrets', message: 'secrets must be a list of secret names' });
  raw.forEach((name: unknown, i) => {
    if (typeof name !== 'string' || !SECRET_NAME_PATTERN.test(name)) {
      problems.push({
        path: `secrets[${i}]`,
        message: `secret name ${quote(name)} must match ${SECRET_NAME_PATTERN.source} (letters, digits and _, as in ctx.secrets["NAME"])`,
      });
    }
  });
}

function checkNodes(raw: unknown, problems: Problem[]): Map<string, GraphNode> | null {
  if (!Array.isArray(raw)) {
    problems.push({ path: 'nodes', message: 'nodes must be an array' });
    return null;
  }
  const byId = new Map<string, GraphNode>();
  const counts = new Map<NodeType, number>();
  raw.forEach((node: unknown, i) => {
    const path = `nodes[${i}]`;
    if (!isObject(node)) return void problems.push({ path, message: 'a node must be a JSON object' });
    const id = typeof node.id === 'string' ? node.id : undefined;
    const at = id ? { nodeId: id } : {};
    if (!id || !NODE_ID_PATTERN.test(id)) {
      problems.push({
        path: `${path}.id`,
        ...at,
        message: `node id ${quote(node.id)} must match ${NODE_ID_PATTERN.source} (lowercase letters, digits and underscores, not starting with a digit)`,
      });
    } else if (id === '__proto__') {
      // It names the prototype of every JavaScript object: a trace keyed by it would lose the node.
      problems.push({ path: `${path}.id`, nodeId: id, message: 'node id "__proto__" is reserved; choose another' });
    } else if (byId.has(id)) {
      problems.push({ path: `${path}.id`, nodeId: id, message: `duplicate node id ${quote(id)}` });
    }
    if (!isNodeType(node.type)) {
      problems.push({
        path: `${path}.type`,
        ...at,
        message: `unknown node type ${quote(node.type)}; expected one of ${NODE_TYPES.join(', ')}`,
      });
      return;
    }
    const parsed = nodeSchemas[node.type].safeParse(node);
    if (!parsed.success) return void problems.push(...zodProblems(parsed.error, path, id));
    const valid = parsed.data;
    counts.set(valid.type, (counts.get(valid.type) ?? 0) + 1);
    checkNode(valid, { path, nodeId: valid.id }, problems, { compileSchema });
    if (id && !byId.has(id)) byId.set(id, valid);
  });
  for (const type of NODE_TYPES) {
    const found = counts.get(type) ?? 0;
    if (nodeTypes[type].cardinality === 'one' && found !== 1) {
      problems.push({ path: 'nodes', message: `a graph needs exactly one ${type} node, found ${found}` });
    }
  }
  return byId;
}

type Edge = z.infer<typeof EdgeSchema>;

function checkEdges(raw: unknown, nodes: Map<string, GraphNode> | null, problems: Problem[]): Edge[] | null {
  if (!Array.isArray(raw)) {
    problems.push({ path: 'edges', message: 'edges must be an array' });
    return null;
  }
  const valid: Edge[] = [];
  const seen = new Set<string>();
  raw.forEach((edge: unknown, i) => {
    const path = `edges[${i}]`;
    const parsed = EdgeSchema.safeParse(edge);
    if (!parsed.success) return void problems.push(...zodProblems(parsed.error, path));
    const e = parsed.data;
    if (!nodes) return;
    const source = nodes.get(e.source);
    const target = nodes.get(e.target);
    const before = problems.length;
    const sourceAt = source ? { nodeId: e.source } : {};
    if (!source)
      problems.push({ path: `${path}.source`, message: `edge source ${quote(e.source)} is not a node of this graph` });
    if (!target)
      problems.push({
        path: `${path}.target`,
        ...sourceAt,
        message: `edge target ${quote(e.target)} is not a node of this graph`,
      });
    if (source && target) {
      if (e.source === e.target)
        problems.push({ path, nodeId: e.source, message: `node ${quote(e.source)} is connected to itself` });
      if (!nodeTypeOf(target).accepts.incoming)
        problems.push({
          path: `${path}.target`,
          nodeId: e.target,
          message: `the ${target.type} node cannot have incoming edges`,
        });
      if (!nodeTypeOf(source).accepts.outgoing)
        problems.push({
          path: `${path}.source`,
          nodeId: e.source,
          message: `the ${source.type} node cannot have outgoing edges`,
        });
      const routes = routesOf(source);
      if (routes) {
        if (e.branch === undefined) {
          problems.push({
            path: `${path}.branch`,
            nodeId: e.source,
            message: `an edge leaving branch node ${quote(e.source)} must name one of its branches: ${routes.map(quote).join(', ')}`,
          });
        } else if (!routes.includes(e.branch)) {
          problems.push({
            path: `${path}.branch`,
            nodeId: e.source,
            message: `branch node ${quote(e.source)} has no branch ${quote(e.branch)}; its branches are ${routes.map(quote).join(', ')}`,
          });
        }
      } else if (e.branch !== undefined) {
        problems.push({
          path: `${path}.branch`,
          nodeId: e.source,
          message: `only edges leaving a branch node name a branch, and ${quote(e.source)} is a ${source.type} node`,
        });
      }
    }
    const key = `${e.source}\u0000${e.target}\u0000${e.branch ?? ''}`;
    if (seen.has(key))
      problems.push({
        path,
        nodeId: e.source,
        message: `duplicate edge from ${quote(e.source)} to ${quote(e.target)}`,
      });
    seen.add(key);
    if (problems.length === before) valid.push(e);
  });
  return valid;
}

/**
 * The output must be reachable from the input: otherwise every call would answer `null`
 * without any node having failed, which nobody means.
 */
function checkOutputReached(nodes: Map<string, GraphNode>, edges: Edge[], problems: Problem[]) {
  const ids = [...nodes.values()];
  const input = ids.find((n) => n.type === 'input');
  const output = ids.find((n) => n.type === 'output');
  if (!input || !output) return;
  const out = new Map<string, string[]>();
  for (const e of edges) out.set(e.source, [...(out.get(e.source) ?? []), e.target]);
  const reached = new Set([input.id]);
  const queue = [input.id];
  for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
    for (const next of out.get(id) ?? []) {
      if (!reached.has(next)) {
        reached.add(next);
        queue.push(next);
      }
    }
  }
  if (reached.has(output.id)) return;
  const index = ids.indexOf(output);
  problems.push({
    path: `nodes[${index}]`,
    nodeId: output.id,
    message: `no path from ${quote(input.id)} reaches the output node ${quote(output.id)}: connect it, or every call would answer null`,
  });
}

/** Kahn's algorithm; whatever is left over sits on or behind a cycle. */
function checkCycles(nodes: Map<string, GraphNode>, edges: Edge[], problems: Problem[]) {
  const indegree = new Map<string, number>([...nodes.keys()].map((id) => [id, 0]));
  const out = new Map<string, string[]>();
  for (const e of edges) {
    indegree.set(e.target, (indegree.get(e.target) ?? 0) + 1);
    out.set(e.source, [...(out.get(e.source) ?? []), e.target]);
  }
  const queue = [...indegree].filter(([, d]) => d === 0).map(([id]) => id);
  for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
    for (const next of out.get(id) ?? []) {
      const d = (indegree.get(next) ?? 0) - 1;
      indegree.set(next, d);
      if (d === 0) queue.push(next);
    }
  }
  // Peel off, from the other side, the stuck nodes that merely sit downstream of a cycle.
  const stuck = new Set([...indegree].filter(([, d]) => d > 0).map(([id]) => id));
  for (let changed = true; changed;) {
    changed = false;
    for (const id of stuck) {
      if (!(out.get(id) ?? []).some((next) => stuck.has(next))) {
        stuck.delete(id);
        changed = true;
      }
    }
  }
  for (const id of stuck) {
    problems.push({
      path: 'edges',
      nodeId: id,
      message: `node ${quote(id)} is part of a cycle; edges must form a DAG`,
    });
  }
}
