import type { GraphDocument, Position } from '@plinth/shared/graph';

const DEFAULT_SIZE = { width: 180, height: 80 };

/**
 * Left-to-right layered layout with elkjs, loaded only when asked for: it is
 * large and most sessions never need it.
 */
export async function layoutPositions(
  document: GraphDocument,
  sizeOf: (id: string) => { width: number; height: number } | undefined,
): Promise<Record<string, Position>> {
  const { default: ELK } = await import('elkjs/lib/elk.bundled.js');
  const elk = new ELK();
  const laid = await elk.layout({
    id: 'root',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': 'RIGHT',
      'elk.spacing.nodeNode': '40',
      'elk.layered.spacing.nodeNodeBetweenLayers': '80',
    },
    children: document.nodes.map((n) => ({ id: n.id, ...(sizeOf(n.id) ?? DEFAULT_SIZE) })),
    edges: document.edges.map((e, i) => ({ id: `e${i}`, sources: [e.source], targets: [e.target] })),
  });
  const positions: Record<string, Position> = {};
  for (const child of laid.children ?? [])
    positions[child.id] = { x: Math.round(child.x ?? 0), y: Math.round(child.y ?? 0) };
  return positions;
}
