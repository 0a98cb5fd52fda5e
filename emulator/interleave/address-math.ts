// The spec's interleave address arithmetic, as pure functions over offsets from a decoder's base.
//
// CXL 2.0 8.2.5.12.21 (target list) and 9.13.1 (interleave): an access falls in chunk c = floor(off / G) of
// granularity G; a decoder with N ways sends it to target position c mod N, and the endpoint keeps chunk
// floor(c / N) of its own space. For power-of-two N this is "HPA bits [8+IG+IW-1 : 8+IG] select the target,
// and are removed to form the DPA". For N = 3, 6, 12 = 3 * 2^k the 3/6/12-way ECN selects
// ((c >> k) mod 3) * 2^k + (c & (2^k - 1)), which is the same number as c mod N (c = q*2^k + r, r < 2^k),
// and removes the position by dividing by 3 — again floor(c / N). One formula covers all eight ways.
//
// Offsets are taken from the decoder's base (as QEMU's cxl_type3_dpa and Linux's cxl_dpa_to_hpa do), so every
// level of one region (CFMWS, host bridge, switches, endpoint — all based at the region base) agrees.
// Numbers, not bit operations: offsets exceed 2^32.

/** Target position (0 .. ways-1) that a decoder with `ways`/`granularity` selects for `offset`. */
export const interleavePosition = (offset: number, ways: number, granularity: number): number =>
  Math.floor(offset / granularity) % ways;

/** Offset inside the endpoint's decoded DPA range for an HPA offset (the position bits removed). */
export const hpaOffsetToDpaOffset = (offset: number, ways: number, granularity: number): number => {
  const chunk = Math.floor(offset / granularity);
  return Math.floor(chunk / ways) * granularity + (offset - chunk * granularity);
};

/** Inverse: HPA offset of DPA offset `dpaOffset` of the endpoint at position `position`. */
export const dpaOffsetToHpaOffset = (dpaOffset: number, position: number, ways: number, granularity: number): number => {
  const chunk = Math.floor(dpaOffset / granularity);
  return (chunk * ways + position) * granularity + (dpaOffset - chunk * granularity);
};

/** Bytes from `offset` to the end of its granule (how far a bulk access may go before the target changes). */
export const bytesToGranuleEnd = (offset: number, granularity: number): number =>
  granularity - (offset % granularity);

/**
 * Granularity a decoder one level below must use so that it selects among its own targets with the bits its
 * parent did not consume (Linux core/region.c cxl_port_setup_targets: "granularity is a multiple of the parent
 * granularity, the multiplier is the parent's ways"). For a 3/6/12-way parent only the power-of-two factor
 * consumes address bits; the modulo-3 part is orthogonal (Chinese remainder), so it does not multiply.
 * Null when the result exceeds 16 KiB.
 */
export const childGranularity = (parentWays: number, parentGranularity: number): number | null => {
  const pow2 = parentWays % 3 === 0 ? parentWays / 3 : parentWays;
  const g = parentWays === 1 ? parentGranularity : parentGranularity * pow2;
  return g <= 16 * 1024 ? g : null;
};
