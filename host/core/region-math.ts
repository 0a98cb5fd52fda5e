// Region arithmetic (CXL 2.0 8.2.5.12, 9.13.1; Linux core/region.c cxl_port_setup_targets /
// cxl_calc_interleave_pos): positions of endpoints in an interleave set and the ways/granularity each level of
// the hierarchy is programmed with. Pure functions.

/**
 * One level of the decode tree below the root: the index `k` of the child taken at this level and the number
 * of children `ways` that level interleaves.
 */
export interface LevelChoice {
  k: number;
  ways: number;
}

/**
 * Position of an endpoint in the region: Σ k_level × (product of the ways of the levels above it). The root
 * level (host bridge index in the CFMWS target list) is first. Matches how HPA chunks are routed: chunk c goes
 * to host bridge c mod W0, then port (c / W0) mod W1, and so on, so chunk c lands on the endpoint at position
 * c mod N.
 */
export function interleavePosition(levels: readonly LevelChoice[]): number {
  let pos = 0;
  let mult = 1;
  for (const l of levels) {
    pos += l.k * mult;
    mult *= l.ways;
  }
  return pos;
}

/**
 * Ways a level routes with by address bits. A 3/6/12-way root decoder (CFMWS) picks its host bridge with a
 * modulo 3 of the HPA above the granule (CXL 2.0 8.2.5.12.7 with the 3/6/12-way ECN), which consumes no address
 * bits; only its power-of-two factor does. Linux core/region.c cxl_port_setup_targets: "For purposes of
 * address bit routing, use power-of-2 math for switch ports" (parent_iw /= 3 for the root).
 */
export const addressBitWays = (ways: number): number => (ways % 3 === 0 ? ways / 3 : ways);

/**
 * Granularity of the decoder at `level` (0 = root/CFMWS, 1 = host bridge, ...): the region granularity times
 * the ways of every level above ("interleave granularity is a multiple of the parent granularity; the
 * multiplier is the parent interleave ways", core/region.c), the root's ways taken as their power-of-two
 * factor (addressBitWays). `waysAbove[0]` is the root's. The endpoint uses the region granularity.
 */
export function levelGranularity(regionGranularity: number, waysAbove: readonly number[]): number {
  return waysAbove.reduce((g, w, i) => g * (i === 0 ? addressBitWays(w) : w), regionGranularity);
}

/** Which endpoint position a region offset belongs to (for tests and the memory test's expectations). */
export const positionOfOffset = (offset: number, granularity: number, ways: number): number => Math.floor(offset / granularity) % ways;

/** What check_interleave_cap reads from a decoder's HDM Decoder Capability register. */
export interface InterleaveCaps {
  a11to8: boolean;
  a14to12: boolean;
  ways3_6_12: boolean;
  ways16: boolean;
}

/**
 * Linux core/region.c check_interleave_cap (v6.10+): the ways must be in the decoder's capability set (1, 2, 4,
 * 8 always; 3/6/12 and 16 by capability bits 11 and 12) and every HPA bit the selection reads,
 * [8+eig+k-1 : 8+eig] for 2^k or 3 x 2^k ways, must lie in the bits the component interleaves on (11:8 with
 * A11to8, 14:12 with A14to12; CXL 2.0 8.2.5.12.1). Note Linux has no mask for bits 15 and up, so e.g. 4-way x
 * 16 KiB is refused even on a capable component. Null when allowed, else Linux's reason.
 */
export function interleaveCapError(caps: InterleaveCaps, ways: number, granularity: number): string | null {
  const waysOk = ways === 1 || ways === 2 || ways === 4 || ways === 8 || ((ways === 3 || ways === 6 || ways === 12) && caps.ways3_6_12) || (ways === 16 && caps.ways16);
  if (!waysOk) return `iw: ${ways} ig: ${granularity} is not supported (interleave ways capability)`;
  const k = Math.log2(addressBitWays(ways));
  if (k === 0) return null;
  const lo = Math.log2(granularity);
  const hi = lo + k - 1;
  for (let bit = lo; bit <= hi; bit++) {
    const capable = (bit >= 8 && bit <= 11 && caps.a11to8) || (bit >= 12 && bit <= 14 && caps.a14to12);
    if (!capable) return `iw: ${ways} ig: ${granularity} is not supported (HPA bit ${bit} is outside the interleave mask)`;
  }
  return null;
}
