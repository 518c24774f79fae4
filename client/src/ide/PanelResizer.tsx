import { useCallback, useEffect, useState, type KeyboardEvent, type PointerEvent } from 'react';

/** Where the side panel's width is kept between visits. */
export const PANEL_WIDTH_KEY = 'plinth.sidePanelWidth';
export const DEFAULT_PANEL_WIDTH = 440;
export const MIN_PANEL_WIDTH = 320;
/** The canvas keeps at least this much room. */
const MIN_CANVAS_WIDTH = 360;
const KEY_STEP = 24;

function clampWidth(width: number): number {
  const max = Math.max(MIN_PANEL_WIDTH, (globalThis.innerWidth ?? 1440) - MIN_CANVAS_WIDTH);
  return Math.round(Math.min(max, Math.max(MIN_PANEL_WIDTH, width)));
}

function storedWidth(): number {
  const stored = Number(globalThis.localStorage?.getItem(PANEL_WIDTH_KEY));
  return Number.isFinite(stored) && stored > 0 ? clampWidth(stored) : DEFAULT_PANEL_WIDTH;
}

/** The side panel's width: dragged or set from the keyboard, remembered in localStorage. */
export function usePanelWidth(): [number, (width: number) => void] {
  const [width, setWidth] = useState(storedWidth);
  const set = useCallback((next: number) => {
    const clamped = clampWidth(next);
    setWidth(clamped);
    globalThis.localStorage?.setItem(PANEL_WIDTH_KEY, String(clamped));
  }, []);
  // A narrower window must not push the canvas out of sight.
  useEffect(() => {
    const onResize = () => setWidth((w) => clampWidth(w));
    window.addEventListener('resize', onResize);
    return () => window.removeEventListener('resize', onResize);
  }, []);
  return [width, set];
}

/**
 * The side panel's left edge: drag it (the panel grows leftwards), or focus it and use the arrow
 * keys. Double-click puts the default width back.
 */
export function PanelResizer(props: { width: number; onWidth: (width: number) => void }) {
  const { width, onWidth } = props;
  const onPointerDown = (event: PointerEvent<HTMLDivElement>) => {
    if (event.button !== 0) return;
    event.preventDefault();
    const startX = event.clientX;
    const startWidth = width;
    const target = event.currentTarget;
    target.setPointerCapture(event.pointerId);
    const onMove = (e: globalThis.PointerEvent) => onWidth(startWidth + (startX - e.clientX));
    const onUp = () => {
      target.removeEventListener('pointermove', onMove);
      target.removeEventListener('pointerup', onUp);
      target.removeEventListener('pointercancel', onUp);
    };
    target.addEventListener('pointermove', onMove);
    target.addEventListener('pointerup', onUp);
    target.addEventListener('pointercancel', onUp);
  };
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.key === 'ArrowLeft') onWidth(width + KEY_STEP);
    else if (event.key === 'ArrowRight') onWidth(width - KEY_STEP);
    else return;
    event.preventDefault();
  };
  return (
    <div
      className="panel-resizer nokey"
      role="separator"
      aria-orientation="vertical"
      aria-label="Resize the side panel"
      aria-valuenow={width}
      aria-valuemin={MIN_PANEL_WIDTH}
      tabIndex={0}
      title="Drag to resize; double-click for the default width"
      onPointerDown={onPointerDown}
      onKeyDown={onKeyDown}
      onDoubleClick={() => onWidth(DEFAULT_PANEL_WIDTH)}
      data-testid="panel-resizer"
    />
  );
}
