import { useEffect, useState } from 'react';

/** How long the pointer must rest (no drag, no press) before the heavy part appears. */
const QUIET_MS = 300;

/**
 * False until the pointer has been quiet for a moment and the page is idle.
 * Selecting a node starts with a pointerdown that often becomes a canvas drag or
 * pan: Monaco's chunk is evaluated and the editor created only after that, so
 * drags and pans stay smooth.
 */
export function useSettled(): boolean {
  const [settled, setSettled] = useState(false);
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let idle: number | undefined;
    const arm = () => {
      clearTimeout(timer);
      if (idle !== undefined) cancelIdle(idle);
      idle = undefined;
      timer = setTimeout(() => {
        idle = whenIdle(() => setSettled(true));
      }, QUIET_MS);
    };
    const onMove = (e: PointerEvent) => {
      if (e.buttons !== 0) arm();
    };
    window.addEventListener('pointermove', onMove, true);
    window.addEventListener('pointerdown', arm, true);
    arm();
    return () => {
      window.removeEventListener('pointermove', onMove, true);
      window.removeEventListener('pointerdown', arm, true);
      clearTimeout(timer);
      if (idle !== undefined) cancelIdle(idle);
    };
  }, []);
  return settled;
}

function whenIdle(callback: () => void): number {
  if (typeof requestIdleCallback === 'function') return requestIdleCallback(callback, { timeout: 500 });
  return setTimeout(callback, 1) as unknown as number;
}

function cancelIdle(handle: number): void {
  if (typeof cancelIdleCallback === 'function') cancelIdleCallback(handle);
  else clearTimeout(handle);
}
