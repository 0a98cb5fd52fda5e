// The one HPA <-> (position, DPA) arithmetic of the bench: the emulator's routing (CFMWS, host-bridge, switch
// and endpoint decoders) and the host model (region planning, `decode`, cxl-list) both call these functions.
//
// Modulo arithmetic (CXL 2.0 8.2.5.12.21 Target List; 9.13.1; the 3/6/12-way ECN): the access falls in chunk
// c = floor(HPA / G) of granularity G; a decoder with N ways picks position c mod N. For N = 2^k that is
// HPA[8+IG+k-1 : 8+IG]; for N = 3 x 2^k the ECN's ((HPA[51:8+IG+k]) mod 3) x 2^k + HPA[8+IG+k-1 : 8+IG] is the
// same number (c = q 2^k + r, r < 2^k, so c mod 3 2^k = (q mod 3) 2^k + r).
//
// XOR arithmetic (CFMWS Interleave Arithmetic 1 with a CEDT CXIMS, CXL 3.0 9.17.1.4 / 9.13.1.1): each XORMAP
// i replaces the HPA bit at its lowest set bit by the parity of HPA & XORMAP_i, applied in order (Linux
// cxl_acpi cxl_xor_hpa_to_spa / ndctl test/translate.c apply_xor_maps); the position is then read from the
// transformed HPA as for modulo. Only the root (CFMWS) level uses XOR; HDM decoders are modulo (CXL 2.0).
//
// The endpoint removes the position from the offset inside its decoder (CXL 2.0 8.2.5.12.21 implementation
// note "Device Decode Logic"; Linux cxl_dpa_to_hpa): with off = HPA - base, the DPA offset is
// floor(off / (G N)) G + off mod G. XOR does not change it (only position bits differ).
//
// Numbers, not bit operations: addresses exceed 2^32 (every address we model is below 2^52).

/**
 * floor(x / m) for non-negative integers below 2^53, exact, without `%`: V8 computes `%` on numbers beyond
 * 31 bits with a slow fmod call, which dominated the memory path. The quotient from the float division can be
 * one off for huge x, so it is corrected with the exact remainder.
 */
export const floorDiv = (x: number, m: number): number => {
  const q = Math.floor(x / m);
  const r = x - q * m;
  return r < 0 ? q - 1 : r >= m ? q + 1 : q;
};

/** x mod m for non-negative integers below 2^53 (see floorDiv). */
export const modFloor = (x: number, m: number): number => x - floorDiv(x, m) * m;

const TWO32 = 2 ** 32;

const popcount32 = (v: number): number => {
  let x = v >>> 0;
  x -= (x >>> 1) & 0x5555_5555;
  x = (x & 0x3333_3333) + ((x >>> 2) & 0x3333_3333);
  x = (x + (x >>> 4)) & 0x0f0f_0f0f;
  return Math.imul(x, 0x0101_0101) >>> 24;
};

/** Parity (0/1) of the bits of `a & b`, both non-negative integers below 2^53. */
export const parityAnd = (a: number, b: number): number => {
  const ah = Math.floor(a / TWO32);
  const bh = Math.floor(b / TWO32);
  return (popcount32((a - ah * TWO32) & (b - bh * TWO32)) + popcount32(ah & bh)) & 1;
};

/** Index of the lowest set bit of a positive integer below 2^53. */
export const lowestBit = (m: number): number => {
  const lo = m % TWO32;
  if (lo !== 0) return 31 - Math.clz32(lo & -lo);
  return 32 + lowestBit(Math.floor(m / TWO32));
};

const bitSet = (x: number, bit: number): boolean => floorDiv(x, 2 ** bit) % 2 === 1;

/**
 * The XOR transform of `hpa` by CXIMS XORMAPs: for each map in order, the bit at the map's lowest set bit
 * becomes the parity of hpa & map. Zero maps leave hpa alone. With the maps CXIMS describes (lowest bits
 * distinct, at the position bits) it is its own inverse, so the same call goes HPA->position and DPA->HPA.
 */
export const xorTransform = (hpa: number, maps: readonly number[]): number => {
  let h = hpa;
  for (const m of maps) {
    if (m === 0) continue;
    const b = lowestBit(m);
    const want = parityAnd(h, m);
    const has = bitSet(h, b) ? 1 : 0;
    if (want !== has) h += want ? 2 ** b : -(2 ** b);
  }
  return h;
};

/** Bytes from `hpa` to the end of its granule (how far a bulk access may go before the target can change). */
export const bytesToGranuleEnd = (hpa: number, granularity: number): number => granularity - modFloor(hpa, granularity);

/** The power-of-two factor of a ways value (3/6/12 -> 1/2/4): the ways that consume address bits. */
export const pow2Ways = (ways: number): number => (ways % 3 === 0 ? ways / 3 : ways);

/**
 * Target position (0 .. ways-1) a decoder with `ways`/`granularity` selects for `hpa`: modulo, or XOR when
 * `xorMaps` is given (CFMWS with a CXIMS; log2(pow2Ways(ways)) maps are used). `base` makes the chunk count
 * start at a window's base: a CFMWS sends its first chunk to target 0 (Linux cxl_hb_modulo: target[pos %
 * ways]), which matters for 3/6/12 ways (a 256 MiB-aligned base is not a multiple of 3 granules). HDM decoders
 * select on the HPA itself (base 0; QEMU: (HPA / granularity) mod ways).
 */
export const targetPosition = (hpa: number, ways: number, granularity: number, xorMaps?: readonly number[] | null, base = 0): number => {
  if (ways === 1) return 0;
  const h = xorMaps && xorMaps.length ? xorTransform(hpa, xorMaps.slice(0, Math.round(Math.log2(pow2Ways(ways))))) : hpa;
  return modFloor(floorDiv(h - base, granularity), ways);
};

/** Offset inside the endpoint's decoded DPA range for `hpa` in a decoder based at `base`. */
export const hpaToDpaOffset = (hpa: number, base: number, ways: number, granularity: number): number => {
  const off = hpa - base;
  return floorDiv(off, granularity * ways) * granularity + modFloor(off, granularity);
};

/**
 * Inverse: the HPA of DPA offset `dpaOffset` at interleave position `position` of a decoder at `base` with
 * `ways`/`granularity` (modulo). Positions use the absolute HPA, so this is a bijection even when the base is
 * not a multiple of G x N (each run of N consecutive chunks holds exactly one chunk of each position).
 */
export const dpaOffsetToHpa = (dpaOffset: number, base: number, position: number, ways: number, granularity: number): number => {
  const k = floorDiv(dpaOffset, granularity);
  const c0 = floorDiv(base, granularity);
  const r = modFloor(position - modFloor(c0, ways) + ways, ways);
  return base + (k * ways + r) * granularity + modFloor(dpaOffset, granularity);
};

/**
 * Every modulo interleave position pattern repeats with this period in HPA: lcm of ways x granularity over all
 * legal values (3 x 2^18 = 768 KiB covers 12 x 16 KiB and 16 x 16 KiB, and any stack of levels). XOR windows
 * repeat only with their highest XORMAP bit; the memory path handles them per root target.
 */
export const INTERLEAVE_PERIOD = 3 * 2 ** 18;

/**
 * The HPA bits a decoder's target selection reads, [lo, hi] inclusive, or null when it reads no particular bits
 * (1 way, or 3 ways: the modulo 3 of everything above the granule). For N = 2^k or 3 x 2^k ways at
 * granularity 256 << IG these are bits [8+IG+k-1 : 8+IG] (CXL 2.0 8.2.5.12.7 with the 3/6/12-way ECN; Linux
 * core/region.c check_interleave_cap, citing r3.1 8.2.4.20.13).
 */
export const interleaveSelectBits = (ways: number, granularity: number): { lo: number; hi: number } | null => {
  const k = Math.round(Math.log2(pow2Ways(ways)));
  if (k === 0) return null;
  const lo = Math.round(Math.log2(granularity));
  return { lo, hi: lo + k - 1 };
};

// ---- Region-level translation (what Linux computes for a region: cxl_dpa_to_hpa / cxl_hpa_to_dpa) ----

/** A region's interleave as Linux keeps it: ways and granularity of the endpoint decoders, base, XOR maps. */
export interface RegionGeometry {
  base: number;
  ways: number;
  granularity: number;
  /** The root window's CXIMS XORMAPs when its arithmetic is XOR; empty/absent for modulo. */
  xorMaps?: readonly number[];
  /** Ways of the root window (the XOR maps used are log2 of its power-of-two factor). */
  rootWays?: number;
}

const regionMaps = (g: RegionGeometry): readonly number[] | null => {
  if (!g.xorMaps || !g.xorMaps.length) return null;
  return g.xorMaps.slice(0, Math.round(Math.log2(pow2Ways(g.rootWays ?? g.ways))));
};

/**
 * Region DPA offset at `position` -> HPA (Linux cxl_dpa_to_hpa): the position is inserted into the offset from
 * the region base (chunk = DPA chunk x ways + position, CXL 3.x 8.2.4.20.13 device decode, reversed), then the
 * root's XOR maps are applied to the absolute HPA (cxl_xor_hpa_to_spa).
 */
export const regionDpaToHpa = (g: RegionGeometry, position: number, dpaOffset: number): number => {
  const k = floorDiv(dpaOffset, g.granularity);
  const h = g.base + (k * g.ways + position) * g.granularity + modFloor(dpaOffset, g.granularity);
  const maps = regionMaps(g);
  return maps ? xorTransform(h, maps) : h;
};

/** Region HPA -> (position, DPA offset): the inverse of regionDpaToHpa. */
export const regionHpaToDpa = (g: RegionGeometry, hpa: number): { position: number; dpaOffset: number } => {
  const maps = regionMaps(g);
  const h = maps ? xorTransform(hpa, maps) : hpa;
  return { position: modFloor(floorDiv(h - g.base, g.granularity), g.ways), dpaOffset: hpaToDpaOffset(hpa, g.base, g.ways, g.granularity) };
};
