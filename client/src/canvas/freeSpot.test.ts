import { describe, expect, it } from 'vitest';
import { findFreeSpot, type Rect } from './freeSpot.ts';

const size = { width: 180, height: 60 };
const touches = (a: Rect, b: Rect) =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

describe('findFreeSpot', () => {
  it('centres the node on an empty spot', () => {
    expect(findFreeSpot({ x: 500, y: 300 }, size, [])).toEqual({ x: 410, y: 270 });
  });

  it('moves the node clear of one in the middle, and stays near the centre', () => {
    const output: Rect = { x: 400, y: 260, width: 180, height: 80 };
    const spot = findFreeSpot({ x: 490, y: 300 }, size, [output]);
    expect(touches({ ...spot, ...size }, output)).toBe(false);
    expect(Math.hypot(spot.x - 400, spot.y - 270)).toBeLessThan(200);
  });

  it('finds room among many nodes', () => {
    const grid: Rect[] = [];
    for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) grid.push({ x: i * 220, y: j * 110, ...size });
    const spot = findFreeSpot({ x: 400, y: 200 }, size, grid);
    for (const r of grid) expect(touches({ ...spot, ...size }, r)).toBe(false);
  });
});
