import { describe, expect, it } from 'vitest';
import { pinEnds } from './RoutedEdge.tsx';

describe('pinEnds', () => {
  it('moves the ends onto the handles and keeps the first and last segments horizontal', () => {
    const route = [
      { x: 100, y: 50 },
      { x: 140, y: 50 },
      { x: 140, y: 200 },
      { x: 300, y: 200 },
    ];
    expect(pinEnds(route, { x: 98, y: 54 }, { x: 305, y: 196 })).toEqual([
      { x: 98, y: 54 },
      { x: 140, y: 54 },
      { x: 140, y: 196 },
      { x: 305, y: 196 },
    ]);
    expect(route[1]).toEqual({ x: 140, y: 50 });
  });

  it('leaves a straight route straight between the handles', () => {
    expect(
      pinEnds(
        [
          { x: 0, y: 0 },
          { x: 10, y: 0 },
        ],
        { x: 1, y: 2 },
        { x: 9, y: 2 },
      ),
    ).toEqual([
      { x: 1, y: 2 },
      { x: 9, y: 2 },
    ]);
  });
});
