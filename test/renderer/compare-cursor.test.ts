import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { moveCursor } from '../../renderer/src/lib/compare-rows.js';

describe('compare row cursor', () => {
  test('the first move puts the cursor on the first row (down) or the last row (up)', () => {
    expect(moveCursor(-1, 1, 10)).toBe(0);
    expect(moveCursor(-1, -1, 10)).toBe(9);
  });

  test('moves by one row and stops at both ends', () => {
    expect(moveCursor(3, 1, 10)).toBe(4);
    expect(moveCursor(3, -1, 10)).toBe(2);
    expect(moveCursor(9, 1, 10)).toBe(9);
    expect(moveCursor(0, -1, 10)).toBe(0);
  });

  test('an empty list has no cursor', () => {
    expect(moveCursor(-1, 1, 0)).toBe(-1);
    expect(moveCursor(4, 1, 0)).toBe(-1);
  });

  test('the cursor always stays inside the list', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1, max: 500 }), fc.integer({ min: -50, max: 50 }), fc.integer({ min: 1, max: 400 }), (c, d, n) => {
        const r = moveCursor(Math.min(c, n - 1), d, n);
        return r >= 0 && r < n;
      }),
    );
  });
});
