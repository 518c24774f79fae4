import type { GraphDocument, GraphEdge, GraphNode, Position } from '@plinth/shared/graph';
import { edgeKey } from '../store/documentEdits.ts';
import type { LiveNodeStatus } from '../store/runStore.ts';
import { INPUT_HANDLE, OUTPUT_HANDLE, type PlinthFlowEdge, type PlinthFlowNode } from './flowTypes.ts';
import type { Validation } from '../store/locateProblems.ts';
import type { NodeJoin } from './nodeJoins.ts';
import { samePartsButPosition } from '../store/onlyPositionsDiffer.ts';

export interface Size {
  width: number;
  height: number;
}

interface NodeEntry {
  node: GraphNode;
  selected: boolean;
  problems: readonly string[] | undefined;
  run: LiveNodeStatus | undefined;
  join: NodeJoin | undefined;
  size: Size | undefined;
  flow: PlinthFlowNode;
}

interface EdgeEntry {
  edge: GraphEdge;
  route: readonly Position[] | undefined;
  selected: boolean;
  problems: readonly string[] | undefined;
  skipped: boolean;
  flow: PlinthFlowEdge;
}

export interface FlowInputs {
  document: GraphDocument;
  selectedNodeIds: ReadonlySet<string>;
  selectedEdgeKeys: ReadonlySet<string>;
  validation: Validation;
  live: Readonly<Record<string, LiveNodeStatus>>;
  /** From `nodeJoins` of the structure: unchanged while nodes only move. */
  joins: ReadonlyMap<string, NodeJoin>;
  sizes: Readonly<Record<string, Size>>;
  /** Auto-layout's edge paths and the positions they were found for (see `GraphState.edgeRoutes`). */
  edgeRoutes?: {
    positions: Readonly<Record<string, Position>>;
    routes: Readonly<Record<string, readonly Position[]>>;
  } | null;
}

/** Whether every node is still where auto-layout put it, so its edge paths still hold. */
function routesHold(input: FlowInputs): boolean {
  const laid = input.edgeRoutes;
  if (laid === null || laid === undefined) return false;
  return input.document.nodes.every((n) => {
    const p = laid.positions[n.id];
    return p !== undefined && p.x === n.position.x && p.y === n.position.y;
  });
}

/**
 * Turns the document into React Flow's nodes and edges, reusing the previous
 * object for anything unchanged so React Flow (and memoised node views) skip it:
 * while one node is dragged, the other 199 keep their identity.
 */
export class FlowMapper {
  private nodes = new Map<string, NodeEntry>();
  private edges = new Map<string, EdgeEntry>();
  private lastEdges: PlinthFlowEdge[] = [];

  mapNodes(input: FlowInputs): PlinthFlowNode[] {
    const next = new Map<string, NodeEntry>();
    const result = input.document.nodes.map((node) => {
      const selected = input.selectedNodeIds.has(node.id);
      const problems = input.validation.byNode.get(node.id);
      const run = input.live[node.id];
      const size = input.sizes[node.id];
      const prev = this.nodes.get(node.id);
      // A join equal to the last one keeps its object, so the node's data stays the same.
      const join = sameJoin(prev?.join, input.joins.get(node.id)) ? prev?.join : input.joins.get(node.id);
      const sameAround =
        prev !== undefined &&
        prev.selected === selected &&
        prev.problems === problems &&
        prev.run === run &&
        prev.join === join &&
        prev.size === size;
      let entry: NodeEntry;
      if (sameAround && prev.node === node) {
        entry = prev;
      } else if (sameAround && samePartsButPosition(prev.node, node)) {
        // A drag: keep the data object so the node view does not re-render.
        entry = { ...prev, node, flow: { ...prev.flow, position: node.position } };
      } else {
        entry = {
          node,
          selected,
          problems,
          run,
          join,
          size,
          flow: {
            id: node.id,
            type: 'plinth',
            position: node.position,
            selected,
            data: { node, problems, run, join },
            ...(size === undefined ? {} : { measured: size }),
          },
        };
      }
      next.set(node.id, entry);
      return entry.flow;
    });
    this.nodes = next;
    return result;
  }

  mapEdges(input: FlowInputs): PlinthFlowEdge[] {
    const next = new Map<string, EdgeEntry>();
    const routes = routesHold(input) ? input.edgeRoutes?.routes : undefined;
    const result = input.document.edges.map((edge) => {
      const key = edgeKey(edge);
      const route = routes?.[key];
      const selected = input.selectedEdgeKeys.has(key);
      const problems = input.validation.byEdge.get(key);
      const sourceRun = input.live[edge.source];
      const targetRun = input.live[edge.target];
      const skipped =
        targetRun?.status === 'skipped' ||
        (edge.branch !== undefined &&
          sourceRun !== undefined &&
          sourceRun.status !== 'running' &&
          sourceRun.trace.status === 'ok' &&
          sourceRun.trace.branch !== edge.branch);
      const prev = this.edges.get(key);
      let entry: EdgeEntry;
      if (
        prev &&
        prev.edge === edge &&
        prev.route === route &&
        prev.selected === selected &&
        prev.problems === problems &&
        prev.skipped === skipped
      ) {
        entry = prev;
      } else {
        const label =
          problems !== undefined
            ? `⚠ ${edge.branch ? `${edge.branch}: ` : ''}${truncate(problems[0] ?? '', 60)}`
            : edge.branch;
        const classes = [problems !== undefined ? 'invalid-edge' : '', skipped ? 'skipped-edge' : ''].filter(Boolean);
        entry = {
          edge,
          route,
          selected,
          problems,
          skipped,
          flow: {
            id: key,
            type: 'routed',
            ...(route === undefined ? {} : { data: { route } }),
            source: edge.source,
            target: edge.target,
            sourceHandle: edge.branch ?? OUTPUT_HANDLE,
            targetHandle: INPUT_HANDLE,
            selected,
            ...(label === undefined ? {} : { label }),
            ...(classes.length > 0 ? { className: classes.join(' ') } : {}),
            ...(problems !== undefined
              ? { ariaLabel: `Invalid edge from ${edge.source} to ${edge.target}: ${problems.join('; ')}` }
              : {}),
          },
        };
      }
      next.set(key, entry);
      return entry.flow;
    });
    this.edges = next;
    // Same edges as last time (e.g. during a drag): hand React Flow the same array,
    // so it does not rebuild its connection lookup every frame.
    if (result.length === this.lastEdges.length && result.every((e, i) => e === this.lastEdges[i]))
      return this.lastEdges;
    this.lastEdges = result;
    return result;
  }
}

function sameJoin(a: NodeJoin | undefined, b: NodeJoin | undefined): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined || a.kind !== b.kind) return false;
  return a.upstreams.length === b.upstreams.length && a.upstreams.every((id, i) => id === b.upstreams[i]);
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
