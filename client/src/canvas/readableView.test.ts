import { describe, expect, it } from 'vitest';
import { readableViewport } from './readableView.ts';

const OPTIONS = { minZoom: 0.8, maxZoom: 1.2, padding: 0.1 };

describe('readableViewport', () => {
  it('centres a graph that fits, at the largest zoom up to the maximum', () => {
    const vp = readableViewport({ x: 0, y: 0, width: 500, height: 100 }, 900, 800, OPTIONS);
    expect(vp.zoom).toBe(1.2);
    expect(vp.x).toBeCloseTo((900 - 600) / 2);
    expect(vp.y).toBeCloseTo((800 - 120) / 2);
  });

  it('shows the start of a graph too wide for a legible zoom, not its middle', () => {
    // The sample graph: eight nodes in a row, 1640 units wide, in an 890 px canvas.
    const vp = readableViewport({ x: 0, y: 40, width: 1640, height: 220 }, 890, 820, OPTIONS);
    expect(vp.zoom).toBe(0.8);
    expect(vp.x).toBe(24);
    expect(vp.y).toBeCloseTo((820 - 220 * 0.8) / 2 - 40 * 0.8);
  });

  it('shows the top of a graph too tall, wherever the graph starts', () => {
    const vp = readableViewport({ x: -300, y: -500, width: 200, height: 3000 }, 900, 800, OPTIONS);
    expect(vp.zoom).toBe(0.8);
    expect(vp.y).toBe(24 + 500 * 0.8);
    expect(vp.x).toBeCloseTo((900 - 160) / 2 + 300 * 0.8);
  });
});
