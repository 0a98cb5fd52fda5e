// The link latency histogram's bins (issue 15).
import { expect, it } from 'vitest';
import { histogram } from '../../renderer/src/lib/histogram.js';

it('equal-width bins over the samples; every sample counted once', () => {
  const h = histogram([10, 10, 11, 20, 30], 4)!;
  expect(h.lo).toBe(10);
  expect(h.hi).toBe(30);
  expect(h.counts).toEqual([3, 0, 1, 1]);
  expect(histogram([])).toBeNull();
  expect(histogram([5, 5, 5], 3)!.counts).toEqual([3, 0, 0]);
});
