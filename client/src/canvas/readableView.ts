import { useCallback } from 'react';
import { getNodesBounds, useReactFlow, useStoreApi } from '@xyflow/react';
import type { Rect, Viewport } from '@xyflow/react';
import { FIT_VIEW_OPTIONS } from './flowTypes.ts';

/** Space kept between the canvas's edge and a graph that is too large to fit, in screen pixels. */
const EDGE_MARGIN_PX = 24;

/**
 * The viewport that fits `bounds` into a `width`×`height` canvas at a legible zoom. When the graph
 * is too large for that zoom, its start (left, top) is shown rather than its middle: a reader
 * begins at the input node and scrolls on, where a centred view would cut off both ends.
 */
export function readableViewport(
  bounds: Rect,
  width: number,
  height: number,
  options: { minZoom: number; maxZoom: number; padding: number } = FIT_VIEW_OPTIONS,
): Viewport {
  const fitX = width / (bounds.width * (1 + options.padding));
  const fitY = height / (bounds.height * (1 + options.padding));
  const zoom = Math.min(options.maxZoom, Math.max(options.minZoom, Math.min(fitX, fitY)));
  const place = (start: number, size: number, view: number) =>
    size * zoom <= view ? (view - size * zoom) / 2 - start * zoom : EDGE_MARGIN_PX - start * zoom;
  return {
    x: place(bounds.x, bounds.width, width),
    y: place(bounds.y, bounds.height, height),
    zoom,
  };
}

/** Frame the drawn graph with {@link readableViewport}; used on opening, by "Fit view" and after auto-layout. */
export function useFitReadable(): (options?: { duration?: number }) => void {
  const { getNodes, setViewport } = useReactFlow();
  const storeApi = useStoreApi();
  return useCallback(
    (options) => {
      const nodes = getNodes();
      const { width, height } = storeApi.getState();
      if (nodes.length === 0 || width === 0 || height === 0) return;
      void setViewport(readableViewport(getNodesBounds(nodes), width, height), options);
    },
    [getNodes, setViewport, storeApi],
  );
}
