import type { GraphDocument } from './graph.ts';

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((k) => [k, canonical((value as Record<string, unknown>)[k])]),
  );
}

/**
 * Whether two documents run the same way: equal but for node positions (and key order). False
 * when a model node follows its model's live version, which may have moved on in between.
 */
export function sameBehaviour(a: GraphDocument, b: GraphDocument): boolean {
  const floating = (d: GraphDocument) => d.nodes.some((n) => n.type === 'model' && n.modelVersion === null);
  if (floating(a) || floating(b)) return false;
  const key = (d: GraphDocument) =>
    JSON.stringify(canonical({ ...d, nodes: d.nodes.map(({ position: _p, ...rest }) => rest) }));
  return key(a) === key(b);
}
