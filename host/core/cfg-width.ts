// Config access widths for traces that do not record them. QEMU's pci_cfg_read/pci_cfg_write trace points
// (hw/pci/trace-events) print device, BDF, offset and value but no size, so a replay has to choose one. The
// register declaration at the offset says what firmware meant (Vendor ID at 0x0 is 16 bits, Primary Bus Number
// at 0x18 is 8 bits); a value too wide for it (a 32-bit read of Vendor + Device ID at 0x0) widens to the
// smallest naturally aligned width that holds it. Offsets no declaration starts at keep the alignment guess.

import type { CfgWidth } from '../../common/access.js';

/** The declared register that starts at or contains a config offset: its first byte and width. */
export interface DeclaredRegister {
  base: number;
  width: number;
}

/** Largest naturally aligned width (4, 2 or 1) at `offset`: the importer's guess without a declaration. */
export const alignedCfgWidth = (offset: number): CfgWidth => (offset % 4 === 0 ? 4 : offset % 2 === 0 ? 2 : 1);

const fits = (value: bigint, w: number): boolean => value >> BigInt(8 * w) === 0n;

/**
 * The width to issue a config access of unknown size at `offset` carrying `value`: the declared register's
 * width when one starts exactly there (widened while the value does not fit and the offset stays aligned),
 * else the alignment guess.
 */
export function inferCfgWidth(offset: number, value: bigint, declared: DeclaredRegister | undefined): CfgWidth {
  const aligned = alignedCfgWidth(offset);
  if (!declared || declared.base !== offset || declared.width > 4) return aligned;
  let w = Math.min(declared.width, aligned);
  while (w < aligned && !fits(value, w)) w *= 2;
  return w as CfgWidth;
}
