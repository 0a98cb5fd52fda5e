// The spec's interleave address arithmetic, as pure functions.
//
// Target selection (CXL 2.0 8.2.5.12.21 Target List; 9.13.1; the 3/6/12-way ECN) uses the HPA itself: the
// access falls in chunk c = floor(HPA / G) of granularity G; a decoder with N ways picks position c mod N.
// For power-of-two N that is "HPA bits [8+IG+IW-1 : 8+IG]"; for N = 3, 6, 12 = 3 * 2^k the ECN's
// ((HPA[51:8+IG+k]) mod 3) * 2^k + HPA[8+IG+k-1 : 8+IG] is the same number as c mod N (c = q*2^k + r, r < 2^k).
//
// The endpoint removes the position from the offset inside its decoder (QEMU cxl_type3_dpa, Linux
// cxl_dpa_to_hpa): with off = HPA - base, the DPA offset is floor(off / (G*N)) * G + off mod G. Because
// positions use the absolute HPA, this stays a bijection even when the base is not a multiple of G*N (each
// run of N consecutive chunks holds exactly one chunk of each position).
// Numbers, not bit operations: addresses exceed 2^32.

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

/** Target position (0 .. ways-1) that a decoder with `ways`/`granularity` selects for `hpa`. */
export const interleavePosition = (hpa: number, ways: number, granularity: number): number =>
  modFloor(floorDiv(hpa, granularity), ways);

/** Offset inside the endpoint's decoded DPA range for `hpa` in a decoder based at `base`. */
export const hpaToDpaOffset = (hpa: number, base: number, ways: number, granularity: number): number => {
  const off = hpa - base;
  return floorDiv(off, granularity * ways) * granularity + modFloor(off, granularity);
};

/** Inverse: the HPA of DPA offset `dpaOffset` at interleave position `position` of a decoder at `base`. */
export const dpaOffsetToHpa = (dpaOffset: number, base: number, position: number, ways: number, granularity: number): number => {
  const k = floorDiv(dpaOffset, granularity);
  const c0 = floorDiv(base, granularity);
  const r = modFloor(position - modFloor(c0, ways) + ways, ways);
  return base + (k * ways + r) * granularity + modFloor(dpaOffset, granularity);
};

/** Bytes from `hpa` to the end of its granule (how far a bulk access may go before the target changes). */
export const bytesToGranuleEnd = (hpa: number, granularity: number): number => granularity - modFloor(hpa, granularity);

/**
 * Granularity a decoder one level below must use so that it selects among its own targets with the bits its
 * parent did not consume (Linux core/region.c cxl_port_setup_targets: "granularity is a multiple of the parent
 * granularity, the multiplier is the parent's ways"). For a 3/6/12-way parent only the power-of-two factor
 * consumes address bits; the modulo-3 part is orthogonal (Chinese remainder), so it does not multiply.
 * Null when the result exceeds 16 KiB.
 */
export const childGranularity = (parentWays: number, parentGranularity: number): number | null => {
  const pow2 = parentWays % 3 === 0 ? parentWays / 3 : parentWays;
  const g = parentGranularity * pow2;
  return g <= 16 * 1024 ? g : null;
};

/**
 * Every interleave position pattern repeats with this period in HPA: lcm of ways x granularity over all legal
 * values (3 x 2^18 = 768 KiB covers 12 x 16 KiB and 16 x 16 KiB, and any stack of levels).
 */
export const INTERLEAVE_PERIOD = 3 * 2 ** 18;

/**
 * The HPA bits a decoder's target selection reads, [lo, hi] inclusive, or null when it reads no particular bits
 * (1 way, or 3 ways: the modulo 3 of everything above the granule). For N = 2^k or 3 * 2^k ways at
 * granularity 256 << IG these are bits [8+IG+k-1 : 8+IG] (CXL 2.0 8.2.5.12.7 with the 3/6/12-way ECN; Linux
 * core/region.c check_interleave_cap, citing r3.1 8.2.4.20.13). The capability bits A11to8 / A14to12
 * (8.2.5.12.1) say which of these bits a component can interleave on.
 */
export const interleaveSelectBits = (ways: number, granularity: number): { lo: number; hi: number } | null => {
  const pow2 = ways % 3 === 0 ? ways / 3 : ways;
  const k = Math.round(Math.log2(pow2));
  if (k === 0) return null;
  const lo = Math.round(Math.log2(granularity));
  return { lo, hi: lo + k - 1 };
};
