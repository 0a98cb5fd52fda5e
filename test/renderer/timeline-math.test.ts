// The Timeline view's zoom, pan and ticks (issue 15).
import { expect, it } from 'vitest';
import { pan, ticks, timeAt, xAt, zoomAt } from '../../renderer/src/lib/timeline-math.js';

it('zoom keeps the pointed time in place and stays inside the run', () => {
  const r = zoomAt({ from: 0, to: 1000 }, 250, 0.5, 0, 1000);
  expect(r).toEqual({ from: 125, to: 625 });
  expect(zoomAt({ from: 0, to: 1000 }, 500, 4, 0, 1000)).toEqual({ from: 0, to: 1000 });
  expect(zoomAt({ from: 0, to: 1000 }, 0, 0.00001, 0, 1000).to).toBe(100); // at least 100 ns
});

it('pan moves and clamps; x and time map both ways', () => {
  expect(pan({ from: 100, to: 200 }, 1000, 0, 500)).toEqual({ from: 400, to: 500 });
  expect(pan({ from: 100, to: 200 }, -1000, 0, 500)).toEqual({ from: 0, to: 100 });
  expect(timeAt({ from: 0, to: 1000 }, 50, 100)).toBe(500);
  expect(xAt({ from: 0, to: 1000 }, 500, 100)).toBe(50);
});

it('ticks fall on a 1-2-5 step', () => {
  expect(ticks({ from: 0, to: 1_000_000 }, 900)).toEqual([0, 100_000, 200_000, 300_000, 400_000, 500_000, 600_000, 700_000, 800_000, 900_000, 1_000_000]);
  expect(ticks({ from: 30, to: 70 }, 180)).toEqual([40, 60]);
});
