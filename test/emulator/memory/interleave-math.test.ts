import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  VALID_GRANULARITIES,
  VALID_WAYS,
  childGranularity,
  dpaOffsetToHpa,
  granularityToIg,
  hpaToDpaOffset,
  igToGranularity,
  interleavePosition,
  isValidWays,
  iwToWays,
  waysToIw,
} from '../../../emulator/interleave/index.js';

describe('interleave encodings (CXL 2.0 8.2.5.12.7)', () => {
  it('IW round-trips for 1,2,4,8,16,3,6,12 and matches the spec table', () => {
    expect([1, 2, 4, 8, 16, 3, 6, 12].map(waysToIw)).toEqual([0, 1, 2, 3, 4, 8, 9, 10]);
    for (const w of VALID_WAYS) expect(iwToWays(waysToIw(w)!)).toBe(w);
  });
  it('IW encodings 5,6,7 and 11..15 are invalid, as are other way counts', () => {
    for (const iw of [5, 6, 7, 11, 12, 13, 14, 15]) expect(iwToWays(iw)).toBeNull();
    for (const w of [0, 5, 7, 9, 10, 24, 32]) expect(waysToIw(w)).toBeNull();
  });
  it('IG is 256 B << IG for IG 0..6, invalid beyond', () => {
    expect(VALID_GRANULARITIES.map(granularityToIg)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(igToGranularity(0)).toBe(256);
    expect(igToGranularity(6)).toBe(16384);
    expect(igToGranularity(7)).toBeNull();
    expect(granularityToIg(128)).toBeNull();
    expect(granularityToIg(32768)).toBeNull();
    expect(granularityToIg(768)).toBeNull();
  });
});

describe('HPA <-> DPA arithmetic', () => {
  it('3-way selection equals the ECN formula HPA[51:8+IG] mod 3', () => {
    const g = 512;
    for (let off = 0; off < 64 * g; off += 64) {
      expect(interleavePosition(off, 3, g)).toBe(Math.floor(off / g) % 3);
    }
  });
  it('6-way selection equals ((c >> 1) mod 3) * 2 + (c & 1)', () => {
    const g = 256;
    for (let c = 0; c < 100; c++) expect(interleavePosition(c * g + 7, 6, g)).toBe(((c >> 1) % 3) * 2 + (c & 1));
  });
  it('power-of-two ways remove the IW bits above the granularity bits', () => {
    // 4-way, 1 KiB: HPA offset 0x1234 -> chunk 4 -> position 0, DPA chunk 1 -> 0x400 + 0x234.
    expect(interleavePosition(0x1234, 4, 1024)).toBe(0);
    expect(hpaToDpaOffset(0x10_0000_1234, 0x10_0000_0000, 4, 1024)).toBe(0x634);
    expect(hpaToDpaOffset(0x1_0000_0000 + 0x1234, 0, 2, 256)).toBe(0x8000_0000 + 0x134 + 0x800);
  });
  it('3-way on a base that is not a multiple of 3 x granularity still maps position by absolute HPA', () => {
    const base = 0x1000_0000; // 256 MiB: 2^28 mod 3 = 1
    expect(interleavePosition(base, 3, 256)).toBe(1);
    expect(hpaToDpaOffset(base + 3 * 256 + 5, base, 3, 256)).toBe(256 + 5);
    expect(dpaOffsetToHpa(256 + 5, base, 1, 3, 256)).toBe(base + 3 * 256 + 5);
    expect(dpaOffsetToHpa(5, base, 2, 3, 256)).toBe(base + 256 + 5);
  });
  it('DPA -> HPA inverts HPA -> DPA for every ways x granularity', () => {
    fc.assert(
      fc.property(fc.constantFrom(...VALID_WAYS), fc.constantFrom(...VALID_GRANULARITIES), fc.nat(2 ** 20), fc.nat(2 ** 40), (w, g, b, off) => {
        const base = b * 2 ** 28;
        const hpa = base + off;
        const pos = interleavePosition(hpa, w, g);
        expect(dpaOffsetToHpa(hpaToDpaOffset(hpa, base, w, g), base, pos, w, g)).toBe(hpa);
      }),
    );
  });
});

// Two levels: a host bridge (or CFMWS) level with W1 ways at the region granularity G, a switch level below it
// with W2 ways at childGranularity(W1, G), and W1*W2 endpoints each decoding W1*W2 ways at G.
const twoLevel = fc
  .tuple(fc.constantFrom(...VALID_WAYS), fc.constantFrom(1, 2, 3, 4, 8, 16), fc.constantFrom(...VALID_GRANULARITIES))
  .filter(([w1, w2, g]) => isValidWays(w1 * w2) && childGranularity(w1, g) !== null);

describe('two-level interleave is a bijection HPA -> (endpoint, DPA) over a region', () => {
  it('every endpoint sees one fixed position, and the map is one-to-one and onto', () => {
    fc.assert(
      fc.property(twoLevel, fc.nat(255), fc.nat(4096), ([w1, w2, g], within, b) => {
        const regionBase = b * 2 ** 28; // any 256 MiB-aligned base, not necessarily a multiple of 3 x G
        const n = w1 * w2;
        const g2 = childGranularity(w1, g)!;
        const regionSize = n * Math.max(g, g2) * 4;
        const perEndpoint = regionSize / n;
        const posOfPath = new Map<number, number>();
        const seen = new Set<string>();
        const count = new Array<number>(n).fill(0);
        const sub = within % g;
        for (let base = 0; base < regionSize; base += g) {
          const hpa = regionBase + base + sub;
          const path = interleavePosition(hpa, w1, g) * w2 + interleavePosition(hpa, w2, g2);
          const pos = interleavePosition(hpa, n, g);
          const known = posOfPath.get(path);
          if (known === undefined) posOfPath.set(path, pos);
          else expect(pos).toBe(known);
          const d = hpaToDpaOffset(hpa, regionBase, n, g);
          expect(d).toBeLessThan(perEndpoint);
          const key = `${path}:${d}`;
          expect(seen.has(key)).toBe(false);
          seen.add(key);
          count[path]++;
          expect(dpaOffsetToHpa(d, regionBase, pos, n, g)).toBe(hpa);
        }
        expect(new Set(posOfPath.values()).size).toBe(n);
        for (const c of count) expect(c).toBe(perEndpoint / g);
      }),
      { numRuns: 200 },
    );
  });
});

describe('interleave select bits (CXL 2.0 8.2.5.12.7, check_interleave_cap)', () => {
  it('power-of-two ways select on exactly bits [8+IG+k-1 : 8+IG]', async () => {
    const { interleaveSelectBits, interleavePosition } = await import('../../../emulator/interleave/address-math.js');
    for (const ways of [2, 4, 8, 16]) {
      for (const g of [256, 1024, 16384]) {
        const b = interleaveSelectBits(ways, g)!;
        for (const hpa of [0, 0x1234_5600, 0x7_ffff_ff00, 0x10_0000_4000]) {
          expect(interleavePosition(hpa, ways, g)).toBe(Math.floor(hpa / 2 ** b.lo) % 2 ** (b.hi - b.lo + 1));
        }
      }
    }
    expect(interleaveSelectBits(1, 4096)).toBeNull();
    expect(interleaveSelectBits(3, 256)).toBeNull();
    expect(interleaveSelectBits(12, 512)).toEqual({ lo: 9, hi: 10 });
  });
});
