import type { ElkExtendedEdge } from 'elkjs/lib/elk-api.js';
import { routesOf, type GraphDocument, type Position } from '@plinth/shared/graph';
import { edgeKey } from '../store/documentEdits.ts';
import { OUTPUT_HANDLE } from './flowTypes.ts';

/** Where auto-layout put the nodes, and the path it found for each edge (by `edgeKey`) between them. */
export interface Layout {
  positions: Record<string, Position>;
  routes: Record<string, Position[]>;
}

const DEFAULT_SIZE = { width: 180, height: 80 };

/**
 * Left-to-right layered layout with elkjs, loaded only when asked for: it is large and most
 * sessions never need it. Each node gets its handles as ports (inputs west, outputs east, a
 * branch node's branches in their order), so ELK orders layers to keep edges from crossing
 * each other and leaves lanes between nodes for edges that skip a layer.
 */
export async function layoutPositions(
  document: GraphDocument,
  sizeOf: (id: string) => { width: number; height: number } | undefined,
): Promise<Layout> {
  const { default: ELK } = await import('elkjs/lib/elk.bundled.js');
  const elk = new ELK();
  const port = (node: string, handle: string) => `${node}:${handle}`;
  const laid = await elk.layout({
    id: 'root',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': 'RIGHT',
      'elk.edgeRouting': 'ORTHOGONAL',
      'elk.spacing.nodeNode': '48',
      'elk.spacing.edgeNode': '32',
      'elk.layered.spacing.nodeNodeBetweenLayers': '72',
      'elk.layered.spacing.edgeNodeBetweenLayers': '32',
      'elk.layered.nodePlacement.strategy': 'NETWORK_SIMPLEX',
      'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES',
    },
    children: document.nodes.map((n) => {
      const outs = routesOf(n) ?? [OUTPUT_HANDLE];
      return {
        id: n.id,
        ...(sizeOf(n.id) ?? DEFAULT_SIZE),
        layoutOptions: { 'elk.portConstraints': 'FIXED_ORDER' },
        ports: [
          { id: port(n.id, 'in'), layoutOptions: { 'elk.port.side': 'WEST' } },
          ...outs.map((h) => ({ id: port(n.id, h), layoutOptions: { 'elk.port.side': 'EAST' } })),
        ],
      };
    }),
    edges: document.edges.map((e, i) => ({
      id: `e${i}`,
      sources: [port(e.source, e.branch ?? OUTPUT_HANDLE)],
      targets: [port(e.target, 'in')],
    })),
  });
  const positions: Record<string, Position> = {};
  for (const child of laid.children ?? [])
    positions[child.id] = { x: Math.round(child.x ?? 0), y: Math.round(child.y ?? 0) };
  const routes: Record<string, Position[]> = {};
  for (const laidEdge of (laid.edges ?? []) as ElkExtendedEdge[]) {
    const edge = document.edges[Number(laidEdge.id.slice(1))];
    const section = laidEdge.sections?.[0];
    if (edge === undefined || section === undefined) continue;
    routes[edgeKey(edge)] = [section.startPoint, ...(section.bendPoints ?? []), section.endPoint].map((p) => ({
      x: Math.round(p.x),
      y: Math.round(p.y),
    }));
  }
  return { positions, routes };
}
