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

/** Target position (0 .. ways-1) that a decoder with `ways`/`granularity` selects for `hpa`. */
export const interleavePosition = (hpa: number, ways: number, granularity: number): number =>
  Math.floor(hpa / granularity) % ways;

/** Offset inside the endpoint's decoded DPA range for `hpa` in a decoder based at `base`. */
export const hpaToDpaOffset = (hpa: number, base: number, ways: number, granularity: number): number => {
  const off = hpa - base;
  const stride = granularity * ways;
  return Math.floor(off / stride) * granularity + (off % granularity);
};

/** Inverse: the HPA of DPA offset `dpaOffset` at interleave position `position` of a decoder at `base`. */
export const dpaOffsetToHpa = (dpaOffset: number, base: number, position: number, ways: number, granularity: number): number => {
  const k = Math.floor(dpaOffset / granularity);
  const c0 = Math.floor(base / granularity);
  const r = (((position - c0) % ways) + ways) % ways;
  return base + (k * ways + r) * granularity + (dpaOffset % granularity);
};

/** Bytes from `hpa` to the end of its granule (how far a bulk access may go before the target changes). */
export const bytesToGranuleEnd = (hpa: number, granularity: number): number => granularity - (hpa % granularity);

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
