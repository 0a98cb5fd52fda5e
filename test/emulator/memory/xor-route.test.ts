// The memory path's specialised XOR target equals the one translation (common/interleave-math targetPosition),
// for the usual XORMAP shape (fast path) and an unusual one (general path).
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { targetPosition } from '../../../common/interleave-math.js';
import { xorTargetFn } from '../../../emulator/memory/route-cache.js';

const GUIDE = [0x2020900, 0x4041200, 0x1010400, 0x800];

describe('xorTargetFn == targetPosition', () => {
  it.each([
    [2, 256, GUIDE],
    [4, 256, GUIDE],
    [8, 256, GUIDE],
    [6, 256, GUIDE],
    [12, 256, GUIDE],
    [4, 1024, GUIDE.map((m) => m * 4)],
    [2, 256, [0x2_0000_0100 + 0x40000]], // a map reaching above bit 32
    [2, 512, [0x300]], // lowest bit 8, not the position bit 9: general path
  ])('%i ways x %i B', (ways, g, maps) => {
    const base = 0x10_0000_0000;
    const f = xorTargetFn(ways, g, maps, base);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 40 - 1 }), (off) => f(base + off) === targetPosition(base + off, ways, g, maps, base)),
      { numRuns: 3000 },
    );
  });
});
