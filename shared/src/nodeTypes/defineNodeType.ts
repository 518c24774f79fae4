import { z } from 'zod';
import type { Problem } from '../errors.ts';

/** Any JSON value: what crosses a node boundary. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export const JsonSchema: z.ZodType<Json> = z.json();

export const PositionSchema = z.object({ x: z.number(), y: z.number() });
export type Position = z.infer<typeof PositionSchema>;

/**
 * The fields every node has. The node-level shape is loose on purpose: `validateGraph` turns
 * every departure into a located, human-readable problem instead of one zod dump.
 */
export const nodeBase = {
  id: z.string(),
  position: PositionSchema.default({ x: 0, y: 0 }),
  label: z.string().optional(),
  /** A sample input pinned for previewing this node in the IDE. */
  pinnedInput: JsonSchema.optional(),
};

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

/**
 * Everything `shared/` knows about one kind of node, in one place: its schema, its defaults,
 * how a run executes it and the rules a graph must keep about it. The registry in
 * `nodeTypes/index.ts` collects them; nothing else switches on a node's type.
 */
export interface NodeTypeDefinition<N extends { id: string; type: string } = { id: string; type: string }> {
  readonly type: N['type'];
  /** The node as the document holds it; defaults are filled in by parsing. */
  readonly schema: z.ZodType<N, unknown>;
  readonly execution: Execution;
  /** `one`: a graph has exactly one node of this type; `any`: as many as it likes. */
  readonly cardinality: 'one' | 'any';
  /**
   * `request`: the node's `data` is the request body (the input node); `response`: its `data` is
   * the run's answer (the output node). At most one type has each.
   */
  readonly endpoint?: 'request' | 'response';
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
  check?(node: N, site: NodeSite, problems: Problem[]): void;
}

/** Declares a node type; the identity function, there for the types. */
export function defineNodeType<N extends { id: string; type: string }>(
  definition: NodeTypeDefinition<N>,
): NodeTypeDefinition<N> {
  return definition;
}
