export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** The room kept between a new node and the nodes around it. */
const GAP = 24;
const STEP = 40;
const MAX_RINGS = 60;

function overlaps(a: Rect, b: Rect): boolean {
  return (
    a.x < b.x + b.width + GAP && b.x < a.x + a.width + GAP && a.y < b.y + b.height + GAP && b.y < a.y + a.height + GAP
  );
}

/**
 * Where to put a new node of `size` so it is centred on `center` or, when that spot is taken, as
 * near to it as possible without touching any of `taken` (a search in growing square rings,
 * nearest first). Returns the node's top-left corner.
 */
export function findFreeSpot(
  center: { x: number; y: number },
  size: { width: number; height: number },
  taken: readonly Rect[],
): { x: number; y: number } {
  const at = (dx: number, dy: number): Rect => ({
    x: Math.round(center.x - size.width / 2 + dx),
    y: Math.round(center.y - size.height / 2 + dy),
    ...size,
  });
  const free = (r: Rect) => !taken.some((t) => overlaps(r, t));
  const first = at(0, 0);
  if (free(first)) return { x: first.x, y: first.y };
  for (let ring = 1; ring <= MAX_RINGS; ring++) {
    const candidates: Rect[] = [];
    for (let i = -ring; i <= ring; i++) {
      for (let j = -ring; j <= ring; j++) {
        if (Math.max(Math.abs(i), Math.abs(j)) === ring) candidates.push(at(i * STEP, j * STEP));
      }
    }
    const distance = (r: Rect) => Math.hypot(r.x - first.x, r.y - first.y);
    candidates.sort((a, b) => distance(a) - distance(b));
    const found = candidates.find(free);
    if (found !== undefined) return { x: found.x, y: found.y };
  }
  return { x: first.x, y: first.y };
}
