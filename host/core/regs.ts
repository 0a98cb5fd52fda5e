// Register block discovery, the host-side mirror of Linux drivers/cxl/core/regs.c: the Register Locator DVSEC
// (CXL 2.0 8.1.9), the CXL device register capability array (CXL 2.0 8.2.8.1/8.2.8.2) and the CXL.cache/mem
// capability array in the component block (CXL 2.0 8.2.5). Results are plain data, with the raw register
// values kept for evidence.

import type { Target } from '../../common/target.js';
import { bits64 } from './bytes.js';
import { CXL_VENDOR_ID, DVSEC, pciDvsecs } from './pci.js';

/** Register Block Identifiers (CXL 2.0 Table 126, Linux enum cxl_regloc_type). */
export const RBI = { empty: 0, component: 1, barVirt: 2, memdev: 3, pmu: 4 } as const;
export const RBI_NAMES: Readonly<Record<number, string>> = {
  0: 'empty',
  1: 'component',
  2: 'BAR virtualization ACL',
  3: 'memory device',
  4: 'CPMU',
  0xff: 'vendor specific',
};

export interface RegBlock {
  /** Register Block Identifier [15:8]. */
  rbi: number;
  /** BAR Indicator [2:0]: 0 → BAR0 at config 0x10 … 5 → 0x24. */
  bar: number;
  /** Offset within the BAR (low [31:16] << 16 | high << 32). */
  offset: number;
  /** The raw Register Offset Low / High dwords. */
  lo: number;
  hi: number;
}

export interface RegisterLocator {
  /** Config offset of the DVSEC, 0 when absent. */
  dvsec: number;
  length: number;
  revision: number;
  blocks: RegBlock[];
}

/** Read the Register Locator DVSEC (ID 8); entry count = (length - 0x0C) / 8 as Linux cxl_find_regblock. */
export async function regLocatorRead(t: Target): Promise<RegisterLocator> {
  const d = (await pciDvsecs(t)).find((x) => x.vendor === CXL_VENDOR_ID && x.id === DVSEC.registerLocator);
  if (!d) return { dvsec: 0, length: 0, revision: 0, blocks: [] };
  const n = d.length >= 0x0c ? Math.floor((d.length - 0x0c) / 8) : 0;
  const blocks: RegBlock[] = [];
  for (let i = 0; i < Math.min(n, 64); i++) {
    const lo = await t.cfgRead(d.offset + 0x0c + 8 * i, 4);
    const hi = await t.cfgRead(d.offset + 0x10 + 8 * i, 4);
    blocks.push({ rbi: (lo >>> 8) & 0xff, bar: lo & 7, offset: (lo & 0xffff_0000) + hi * 2 ** 32, lo, hi });
  }
  return { dvsec: d.offset, length: d.length, revision: d.revision, blocks };
}

/** Device capability IDs (CXL 2.0 Table 139). */
export const DEVCAP = { status: 0x0001, primaryMailbox: 0x0002, secondaryMailbox: 0x0003, memdev: 0x4000 } as const;
export const DEVCAP_NAMES: Readonly<Record<number, string>> = {
  1: 'Device Status',
  2: 'Primary Mailbox',
  3: 'Secondary Mailbox',
  0x4000: 'Memory Device Status',
};

export interface DeviceCap {
  id: number;
  version: number;
  /** Offset from the start of the device register block. */
  offset: number;
  length: number;
}

export interface DeviceCapArray {
  /** The raw 64-bit Capabilities Array Register. */
  raw: bigint;
  capId: number;
  version: number;
  type: number;
  count: number;
  caps: DeviceCap[];
}

/** Read the device capability array at `base` of `bar` (CXL 2.0 8.2.8.1). Count is bounded at 255. */
export async function deviceCapArrayRead(t: Target, bar: number, base: number): Promise<DeviceCapArray> {
  const raw = await t.barRead64(bar, base);
  const arr: DeviceCapArray = {
    raw,
    capId: bits64(raw, 15, 0),
    version: bits64(raw, 23, 16),
    type: bits64(raw, 27, 24),
    count: bits64(raw, 47, 32),
    caps: [],
  };
  if (arr.capId !== 0) return arr; // Linux: not a device capability array, nothing found
  for (let i = 1; i <= Math.min(arr.count, 255); i++) {
    const h = await t.barRead(bar, base + 0x10 * i, 4);
    const offset = await t.barRead(bar, base + 0x10 * i + 4, 4);
    const length = await t.barRead(bar, base + 0x10 * i + 8, 4);
    arr.caps.push({ id: h & 0xffff, version: (h >>> 16) & 0xff, offset, length });
  }
  return arr;
}

/** CXL.cache/mem capability IDs (CXL 2.0 Table 141). */
export const CMCAP = { cap: 1, ras: 2, security: 3, link: 4, hdm: 5, extSecurity: 6, ide: 7, snoopFilter: 8 } as const;
export const CMCAP_NAMES: Readonly<Record<number, string>> = {
  1: 'CXL Capability',
  2: 'RAS',
  3: 'Security',
  4: 'Link',
  5: 'HDM Decoder',
  6: 'Extended Security',
  7: 'IDE',
  8: 'Snoop Filter',
  9: 'Timeout and Isolation',
  0xa: 'Cachemem Extended Register',
  0xb: 'BI Route Table',
  0xc: 'BI Decoder',
  0xd: 'Cache ID Route Table',
  0xe: 'Cache ID Decoder',
  0xf: 'Extended HDM Decoder',
};

/** The CXL.cache/mem registers start 4 KiB into the component block (CXL 2.0 8.2.4, Linux CXL_CM_OFFSET). */
export const CXL_CM_OFFSET = 0x1000;

export interface ComponentCap {
  id: number;
  version: number;
  /** Offset from the start of the CXL.cache/mem range (component block + 0x1000). */
  pointer: number;
}

export interface ComponentCapArray {
  raw: number;
  capId: number;
  version: number;
  cacheMemVersion: number;
  arraySize: number;
  caps: ComponentCap[];
}

/** Reader of a component block, which may sit in a BAR (ports, endpoints) or at a CHBCR address (host bridge). */
export interface ComponentAccess {
  read32(offset: number): Promise<number>;
  write32(offset: number, value: number): Promise<void>;
}

export const barComponentAccess = (t: Target, bar: number, base: number): ComponentAccess => ({
  read32: (o) => t.barRead(bar, base + o, 4),
  write32: (o, v) => t.barWrite(bar, base + o, 4, v),
});

/** Read the CXL.cache/mem capability array (CXL 2.0 8.2.5.1); pointers are [31:20]. */
export async function componentCapArrayRead(c: ComponentAccess): Promise<ComponentCapArray> {
  const raw = await c.read32(CXL_CM_OFFSET);
  const arr: ComponentCapArray = {
    raw,
    capId: raw & 0xffff,
    version: (raw >>> 16) & 0xf,
    cacheMemVersion: (raw >>> 20) & 0xf,
    arraySize: raw >>> 24,
    caps: [],
  };
  if (arr.capId !== CMCAP.cap) return arr;
  for (let i = 1; i <= arr.arraySize; i++) {
    const h = await c.read32(CXL_CM_OFFSET + 4 * i);
    arr.caps.push({ id: h & 0xffff, version: (h >>> 16) & 0xf, pointer: h >>> 20 });
  }
  return arr;
}

/** Offset within the component block of capability `id`, or null. */
export function componentCapOffset(arr: ComponentCapArray, id: number): number | null {
  const c = arr.caps.find((x) => x.id === id);
  return c ? CXL_CM_OFFSET + c.pointer : null;
}

/** BAR index from a Register Locator BIR, as Linux: BIR n is the BAR at config 0x10 + 4n. */
export const barOfBir = (bir: number): number => bir;
