import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { MAX_SCROLL_PX, scrollTopForRow, virtualWindow } from '../../renderer/src/lib/virtual-range.js';

const ROW = 20;

describe('virtualWindow', () => {
  test('an empty list draws nothing', () => {
    expect(virtualWindow(0, ROW, 0, 400)).toEqual({ spacerPx: 0, first: 0, count: 0, topPx: 0 });
  });

  test('a short list is drawn whole and the spacer is its natural height', () => {
    const w = virtualWindow(5, ROW, 0, 400);
    expect(w).toEqual({ spacerPx: 100, first: 0, count: 5, topPx: 0 });
  });

  test('every row inside the viewport is drawn, at the pixel the scroll position puts it', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5_000_000 }),
        fc.integer({ min: 40, max: 2000 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (total, viewport, frac) => {
          const w = virtualWindow(total, ROW, 0, viewport);
          const scrollMax = Math.max(0, w.spacerPx - viewport);
          const scrollTop = Math.floor(scrollMax * frac);
          const v = virtualWindow(total, ROW, scrollTop, viewport);
          expect(v.first).toBeGreaterThanOrEqual(0);
          expect(v.first + v.count).toBeLessThanOrEqual(total);
          // Drawn block covers the viewport [scrollTop, scrollTop + viewport) or reaches the end of the list.
          expect(v.topPx).toBeLessThanOrEqual(scrollTop + 0.001);
          const bottom = v.topPx + v.count * ROW;
          if (v.first + v.count < total) expect(bottom).toBeGreaterThanOrEqual(scrollTop + viewport);
          // Bounded DOM: a screenful plus overscan, whatever the total.
          expect(v.count).toBeLessThanOrEqual(Math.ceil(viewport / ROW) + 1 + 16);
        },
      ),
    );
  });

  test('very long lists cap the spacer and still reach the last row at the bottom of the scrollbar', () => {
    const total = 10_000_000;
    const viewport = 600;
    const end = virtualWindow(total, ROW, MAX_SCROLL_PX - viewport, viewport);
    expect(end.spacerPx).toBe(MAX_SCROLL_PX);
    expect(end.first + end.count).toBe(total);
  });

  test('scrollTopForRow puts the requested row at the top (both natural and scaled)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 100, max: 3_000_000 }), fc.double({ min: 0, max: 0.99, noNaN: true }), (total, frac) => {
        const viewport = 600;
        const row = Math.floor(frac * (total - 40));
        const v = virtualWindow(total, ROW, scrollTopForRow(total, ROW, viewport, row), viewport);
        const topRow = v.first + Math.round((scrollTopForRow(total, ROW, viewport, row) - v.topPx) / ROW);
        expect(Math.abs(topRow - row)).toBeLessThanOrEqual(1);
      }),
    );
  });
});
