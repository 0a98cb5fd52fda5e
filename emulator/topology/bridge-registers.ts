// Reading a bridge's routing state from its type-1 header (model path: no trace, no side effects): bus numbers
// (PCI-to-PCI Bridge 1.2, 3.2.5.3-5), memory and prefetchable windows (3.2.5.8-9), Memory Space Enable.

import type { RegisterBlock } from '../regs/register-block.js';
import { T1 } from './type1-header.js';

export interface BridgeBuses {
  primary: number;
  secondary: number;
  subordinate: number;
}

export const bridgeBuses = (h: RegisterBlock): BridgeBuses => ({
  primary: h.get(T1.primaryBus, 1),
  secondary: h.get(T1.secondaryBus, 1),
  subordinate: h.get(T1.subordinateBus, 1),
});

/** A bridge forwards memory it decodes only with Memory Space Enable (Command bit 1). */
export const memorySpaceEnabled = (fnCommand: number): boolean => (fnCommand & 2) !== 0;

export interface AddressRange {
  lo: number;
  /** Exclusive end. */
  hi: number;
}

/** The non-prefetchable and prefetchable windows (empty when base > limit). */
export const bridgeWindows = (h: RegisterBlock): AddressRange[] => {
  const out: AddressRange[] = [];
  const memBase = (h.get(T1.memBase, 2) & 0xfff0) * 0x10000;
  const memLimit = (h.get(T1.memLimit, 2) & 0xfff0) * 0x10000 + 0xfffff;
  if (memBase <= memLimit) out.push({ lo: memBase, hi: memLimit + 1 });
  const prefBase = h.get(T1.prefBaseUpper, 4) * 2 ** 32 + (h.get(T1.prefBase, 2) & 0xfff0) * 0x10000;
  const prefLimit = h.get(T1.prefLimitUpper, 4) * 2 ** 32 + (h.get(T1.prefLimit, 2) & 0xfff0) * 0x10000 + 0xfffff;
  if (prefBase <= prefLimit) out.push({ lo: prefBase, hi: prefLimit + 1 });
  return out;
};

/** Intersect allowed ranges with a bridge's windows. */
export const intersectRanges = (a: readonly AddressRange[], b: readonly AddressRange[]): AddressRange[] => {
  const out: AddressRange[] = [];
  for (const x of a) for (const y of b) {
    const lo = Math.max(x.lo, y.lo);
    const hi = Math.min(x.hi, y.hi);
    if (lo < hi) out.push({ lo, hi });
  }
  return out;
};

export const EVERYWHERE: readonly AddressRange[] = [{ lo: 0, hi: 2 ** 64 }];
