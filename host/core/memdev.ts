// Memory device state helpers: the Memory Device Status register (CXL 2.0 8.2.8.5.1.1) and the DVSEC for CXL
// Devices range registers (CXL 2.0 8.1.3), as Linux cxlmem.h / core/pci.c read them.

import type { Target } from '../../common/target.js';
import { bits64 } from './bytes.js';

export const MEDIA_STATUS = ['not ready', 'ready', 'error', 'disabled'] as const;

export interface MemdevStatus {
  raw: bigint;
  fatal: boolean;
  fwHalt: boolean;
  media: number;
  mailboxReady: boolean;
  resetNeeded: number;
}

export function memdevStatusDecode(raw: bigint): MemdevStatus {
  return {
    raw,
    fatal: bits64(raw, 0, 0) === 1,
    fwHalt: bits64(raw, 1, 1) === 1,
    media: bits64(raw, 3, 2),
    mailboxReady: bits64(raw, 4, 4) === 1,
    resetNeeded: bits64(raw, 7, 5),
  };
}

/** The suffix Linux's cxl_err() appends: ", device state <fatal> <firmware-halt>". */
export const deviceStateText = (s: MemdevStatus): string => `device state${s.fatal ? ' fatal' : ''}${s.fwHalt ? ' firmware-halt' : ''}`;

/** DVSEC for CXL Devices register offsets (CXL 2.0 8.1.3). */
export const DVSEC0 = {
  cap: 0x0a,
  ctrl: 0x0c,
  status: 0x0e,
  ctrl2: 0x10,
  status2: 0x12,
  lock: 0x14,
  cap2: 0x16,
  rangeSizeHi: (i: number) => 0x18 + 0x10 * i,
  rangeSizeLo: (i: number) => 0x1c + 0x10 * i,
  rangeBaseHi: (i: number) => 0x20 + 0x10 * i,
  rangeBaseLo: (i: number) => 0x24 + 0x10 * i,
} as const;

export const DVSEC0_CAP = { memCapable: 1 << 2, memHwInit: 1 << 3 } as const;
export const DVSEC0_CTRL_MEM_ENABLE = 1 << 2;
export const RANGE_LO = { memInfoValid: 1 << 0, memActive: 1 << 1 } as const;

export interface DvsecRange {
  index: number;
  sizeLo: number;
  size: number;
  base: number;
  infoValid: boolean;
  active: boolean;
}

export interface DvsecDeviceInfo {
  cap: number;
  ctrl: number;
  hdmCount: number;
  memCapable: boolean;
  memEnabled: boolean;
  ranges: DvsecRange[];
}

/**
 * Read DVSEC 0 at `d` with cxl_dvsec_rr_decode's reads (Linux core/pci.c): Capability and Control, then the range
 * registers only when Mem_Enable is set (the ranges are moot otherwise), and a range's base only when its size is
 * non-zero. `ranges` lists the ranges read.
 */
export async function dvsecDeviceRead(t: Target, d: number): Promise<DvsecDeviceInfo> {
  const cap = await t.cfgRead(d + DVSEC0.cap, 2);
  const ctrl = await t.cfgRead(d + DVSEC0.ctrl, 2);
  const hdmCount = (cap >>> 4) & 3;
  const memCapable = !!(cap & DVSEC0_CAP.memCapable);
  const memEnabled = !!(ctrl & DVSEC0_CTRL_MEM_ENABLE);
  const ranges: DvsecRange[] = [];
  const decodable = memCapable && hdmCount >= 1 && hdmCount <= 2;
  for (let i = 0; decodable && memEnabled && i < hdmCount; i++) {
    const sizeHi = await t.cfgRead(d + DVSEC0.rangeSizeHi(i), 4);
    const sizeLo = await t.cfgRead(d + DVSEC0.rangeSizeLo(i), 4);
    const size = ((sizeLo & 0xf000_0000) >>> 0) + (sizeHi >>> 0) * 2 ** 32;
    let base = 0;
    if (size > 0) {
      const baseHi = await t.cfgRead(d + DVSEC0.rangeBaseHi(i), 4);
      const baseLo = await t.cfgRead(d + DVSEC0.rangeBaseLo(i), 4);
      base = ((baseLo & 0xf000_0000) >>> 0) + (baseHi >>> 0) * 2 ** 32;
    }
    ranges.push({ index: i, sizeLo, size, base, infoValid: !!(sizeLo & RANGE_LO.memInfoValid), active: !!(sizeLo & RANGE_LO.memActive) });
  }
  return { cap, ctrl, hdmCount, memCapable, memEnabled, ranges };
}
