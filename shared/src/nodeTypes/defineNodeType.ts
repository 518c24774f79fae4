import type { z } from 'zod';
import type { Problem } from '../errors.ts';
import type { Json } from '../json.ts';

/** The zod namespace, handed to each type's `schema` so this module loads without zod (the IDE's first paint). */
export type Zod = typeof z;

/** A node's position on the canvas. */
export interface Position {
  x: number;
  y: number;
}

/** A schema of any JSON value. */
export function json(zod: Zod): z.ZodType<Json> {
  return zod.json();
}

/**
 * The fields every node has. The node-level shape is loose on purpose: `validateGraph` turns
 * every departure into a located, human-readable problem instead of one zod dump.
 */
export function nodeBase(zod: Zod) {
  return {
    id: zod.string(),
    position: zod.object({ x: zod.number(), y: zod.number() }).default({ x: 0, y: 0 }),
    label: zod.string().optional(),
    /** A sample input pinned for previewing this node in the IDE. */
    pinnedInput: json(zod).optional(),
  };
}

/**
 * How a run executes a node:
 * - `pass`: hands its `data` on unchanged (the input and output nodes);
 * - `code`: calls the node's `process(data, ctx)` in a Python runner;
 * - `model`: calls a deployed model's `predict(data)`.
 */
export type Execution = 'pass' | 'code' | 'model';

/** Where a rule found a problem with one node. */
export interface NodeSite {
  path: string;
  nodeId: string;
}

/** What `check` may use that this module does not load itself (Ajv is large). */
export interface CheckTools {
  /** Compiles a JSON Schema; `error` says why it is not one. */
  compileSchema: (schema: object) => { error?: string };
}

/**
 * Everything `shared/` knows about one kind of node, in one place: its schema, its defaults,
 * how a run executes it and the rules a graph must keep about it. The registry in
 * `nodeTypes/index.ts` collects them; nothing else switches on a node's type.
 */
export interface NodeTypeDefinition<N = { id: string; type: string }> {
  readonly type: N extends { type: infer T } ? T : string;
  /** The node as the document holds it, built with the zod it is handed; parsing fills in defaults. */
  schema(zod: Zod): z.ZodType;
  readonly execution: Execution;
  /**
   * `request`: the node's `data` is the request body (the input node); `response`: its `data` is
   * the run's answer (the output node). At most one type has each.
   */
  readonly endpoint?: 'request' | 'response';
  /** `one`: a graph has exactly one node of this type; `any`: as many as it likes. */
  readonly cardinality: 'one' | 'any';
  /** Whether edges may come into it (the input node: no) and leave it (the output node: no). */
  readonly accepts: { incoming: boolean; outgoing: boolean };
  /**
   * A router's routes: its code returns one of them, and only edges labelled with that route
   * carry data on (its own input, unchanged). Edges leaving a router must name a route; edges
   * leaving any other node must not.
   */
  routes?(node: N): readonly string[];
  /** A new node as the IDE's palette adds it: valid, with sensible defaults. */
  create(id: string, position: Position): N;
  /** Rules the schema cannot say, each problem located by path and node id. */
  check?(node: N, site: NodeSite, problems: Problem[], tools: CheckTools): void;
}

/**
 * Declares a node type from its schema, then the rest: `defineNodeType((z) => schema)({...})`.
 * Curried so the node's type is fixed by the schema before the rest is checked against it.
 */
export function defineNodeType<S extends z.ZodType<{ id: string; type: string }, unknown>>(schema: (zod: Zod) => S) {
  type N = z.output<S>;
  return (definition: Omit<NodeTypeDefinition<N>, 'schema'>): NodeTypeDefinition<N> & { schema(zod: Zod): S } => ({
    ...definition,
    schema,
  });
}

/** The node type a definition describes. */
export type NodeOf<D> = D extends { create(id: string, position: Position): infer N } ? N : never;
