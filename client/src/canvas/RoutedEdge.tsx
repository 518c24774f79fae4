import { memo } from 'react';
import { BaseEdge, getBezierPath, type EdgeProps } from '@xyflow/react';
import type { Position as Point } from '@plinth/shared/graph';
import type { PlinthFlowEdge } from './flowTypes.ts';

/**
 * An edge along the path auto-layout found for it (through the lanes it left between nodes), or
 * React Flow's usual curve once that path no longer holds (a node moved). Its ends are pinned to
 * the handles; the bends keep their lanes.
 */
export const RoutedEdge = memo(function RoutedEdge(props: EdgeProps<PlinthFlowEdge>) {
  const route = props.data?.route;
  if (route === undefined || route.length < 2) {
    const [path, labelX, labelY] = getBezierPath(props);
    return <BaseEdge {...baseProps(props)} path={path} labelX={labelX} labelY={labelY} />;
  }
  const points = pinEnds(route, { x: props.sourceX, y: props.sourceY }, { x: props.targetX, y: props.targetY });
  const path = points.map((p, i) => `${i === 0 ? 'M' : 'L'} ${p.x} ${p.y}`).join(' ');
  // The label sits on the middle segment, in a lane.
  const a = points[Math.floor((points.length - 1) / 2)] as Point;
  const b = points[Math.floor((points.length - 1) / 2) + 1] as Point;
  return <BaseEdge {...baseProps(props)} path={path} labelX={(a.x + b.x) / 2} labelY={(a.y + b.y) / 2} />;
});

function baseProps(props: EdgeProps<PlinthFlowEdge>) {
  const { id, label, labelStyle, labelShowBg, labelBgStyle, labelBgPadding, labelBgBorderRadius, style, markerEnd } =
    props;
  return {
    id,
    label,
    labelStyle,
    labelShowBg,
    labelBgStyle,
    labelBgPadding,
    labelBgBorderRadius,
    style,
    markerEnd,
    interactionWidth: props.interactionWidth,
  };
}

/** The route with its ends moved onto the handles, its first and last bends following them. */
export function pinEnds(route: readonly Point[], source: Point, target: Point): Point[] {
  const points = route.map((p) => ({ ...p }));
  const n = points.length;
  const start = points[0] as Point;
  const end = points[n - 1] as Point;
  // An orthogonal route leaves and enters horizontally: keep those segments horizontal.
  if (n > 2) {
    const first = points[1] as Point;
    if (first.y === start.y) first.y = source.y;
    const last = points[n - 2] as Point;
    if (last.y === end.y) last.y = target.y;
  }
  points[0] = source;
  points[n - 1] = target;
  return points;
}
