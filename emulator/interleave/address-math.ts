// The spec's interleave address arithmetic lives in common/interleave-math.ts (one implementation for the
// emulator's routing and the host model); re-exported here for the emulator's modules, plus what only the
// emulator needs.

import { pow2Ways, targetPosition } from '../../common/interleave-math.js';

export {
  bytesToGranuleEnd,
  dpaOffsetToHpa,
  floorDiv,
  hpaToDpaOffset,
  INTERLEAVE_PERIOD,
  interleaveSelectBits,
  modFloor,
  targetPosition,
  xorTransform,
} from '../../common/interleave-math.js';

/** Target position (0 .. ways-1) that a modulo decoder with `ways`/`granularity` selects for `hpa`. */
export const interleavePosition = (hpa: number, ways: number, granularity: number): number => targetPosition(hpa, ways, granularity);

/**
 * Granularity a decoder one level below must use so that it selects among its own targets with the bits its
 * parent did not consume (Linux core/region.c cxl_port_setup_targets: "granularity is a multiple of the parent
 * granularity, the multiplier is the parent's ways"). For a 3/6/12-way parent only the power-of-two factor
 * consumes address bits; the modulo-3 part is orthogonal (Chinese remainder), so it does not multiply.
 * Null when the result exceeds 16 KiB.
 */
export const childGranularity = (parentWays: number, parentGranularity: number): number | null => {
  const g = parentGranularity * pow2Ways(parentWays);
  return g <= 16 * 1024 ? g : null;
};
