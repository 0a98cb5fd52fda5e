// The CXL Driver Writer's Guide translation vectors (as ndctl's cxl-translate test carries them) against the
// bench's one translation, both directions, modulo and XOR.
import { describe, expect, it } from 'vitest';
import { regionDpaToHpa, regionHpaToDpa, type RegionGeometry } from '../../common/interleave-math.js';
import { NDCTL_XORMAPS, SAMPLE_SETS, XOR_TABLES } from '../fixtures/ndctl/cxl-translate-vectors.js';

const WAYS: Record<number, number> = { 0: 1, 1: 2, 2: 4, 3: 8, 4: 16, 8: 3, 9: 6, 10: 12 };

const geometry = (rEiw: number, rEig: number, hbEiw: number, xor: boolean): RegionGeometry => ({
  base: 0,
  ways: WAYS[rEiw]!,
  granularity: 256 << rEig,
  rootWays: WAYS[hbEiw]!,
  ...(xor ? { xorMaps: NDCTL_XORMAPS } : {}),
});

const check = (g: RegionGeometry, dpa: number, pos: number, hpa: number): void => {
  expect(regionDpaToHpa(g, pos, dpa), `dpa ${dpa} pos ${pos} -> hpa`).toBe(hpa);
  expect(regionHpaToDpa(g, hpa), `hpa ${hpa} -> (pos, dpa)`).toEqual({ position: pos, dpaOffset: dpa });
};

describe("CXL Driver Writer's Guide vectors (ndctl test/cxl-translate.sh)", () => {
  for (const set of SAMPLE_SETS) {
    it(`${set.name}: modulo and XOR, every position`, () => {
      let n = 0;
      for (const row of set.rows) {
        const [dpa, rEiw, rEig, hbEiw] = row.params;
        row.modulo.forEach((hpa, pos) => check(geometry(rEiw, rEig, hbEiw, false), dpa, pos, hpa));
        row.xor.forEach((hpa, pos) => check(geometry(rEiw, rEig, hbEiw, true), dpa, pos, hpa));
        n += row.modulo.length + row.xor.length;
      }
      expect(n).toBeGreaterThan(0);
    });
  }
  for (const t of XOR_TABLES) {
    it(`${t.name}: ${t.rows.length} XOR vectors`, () => {
      for (const [dpa, pos, rEiw, rEig, hbEiw, hpa] of t.rows) check(geometry(rEiw, rEig, hbEiw, true), dpa, pos, hpa);
    });
  }
  it('XOR differs from modulo where the guide says it does (the test can fail)', () => {
    const g = geometry(10, 0, 10, true);
    expect(regionDpaToHpa(g, 8, 0)).toBe(2304);
    expect(regionDpaToHpa({ ...g, xorMaps: [] }, 8, 0)).toBe(2048);
  });
});
