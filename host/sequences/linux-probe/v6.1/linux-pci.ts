// PCI config walks exactly as Linux 6.1 issues them (Debian linux-source-6.1 6.1.192), so a replay's access
// stream lines up with a real 6.1 guest's: drivers/pci/pci.c pci_find_next_ext_capability (one dword per list
// header, re-reading `start`), pci_find_dvsec_capability (two word reads per DVSEC), pci_get_dsn, and
// drivers/cxl/core/regs.c cxl_find_regblock / cxl_probe_device_regs / cxl_probe_component_regs.

import type { Target } from '../../../../common/target.js';

const CFG_SPACE = 0x100;
/** (PCI_CFG_SPACE_EXP_SIZE - PCI_CFG_SPACE_SIZE) / 8: the walk's bound. */
const TTL = (0x1000 - 0x100) / 8;
export const EXT_CAP_DSN = 0x0003;
export const EXT_CAP_DVSEC = 0x0023;
export const EXT_CAP_DOE = 0x002e;
export const CXL_VENDOR = 0x1e98;

/** pci_find_next_ext_capability(dev, start, cap): 0 when absent. */
export async function findNextExtCap(t: Target, start: number, cap: number): Promise<number> {
  let pos = start || CFG_SPACE;
  let header = await t.cfgRead(pos, 4);
  if (header === 0 || header === 0xffff_ffff) return 0;
  for (let ttl = TTL; ttl > 0; ttl--) {
    if ((header & 0xffff) === cap && pos !== start) return pos;
    pos = (header >>> 20) & 0xffc;
    if (pos < CFG_SPACE) break;
    header = await t.cfgRead(pos, 4);
  }
  return 0;
}

/** pci_find_dvsec_capability: the first DVSEC with this vendor and ID, or 0. */
export async function findDvsec(t: Target, vendor: number, id: number): Promise<number> {
  let pos = await findNextExtCap(t, 0, EXT_CAP_DVSEC);
  while (pos) {
    const v = await t.cfgRead(pos + 4, 2);
    const d = await t.cfgRead(pos + 8, 2);
    if (v === vendor && d === id) return pos;
    pos = await findNextExtCap(t, pos, EXT_CAP_DVSEC);
  }
  return 0;
}

/** pci_get_dsn: 0 without the capability. */
export async function getDsn(t: Target): Promise<bigint> {
  const pos = await findNextExtCap(t, 0, EXT_CAP_DSN);
  if (!pos) return 0n;
  const lo = await t.cfgRead(pos + 4, 4);
  const hi = await t.cfgRead(pos + 8, 4);
  return (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);
}

/** Every DOE capability offset (pci_doe_for_each_off). */
export async function doeOffsets(t: Target): Promise<number[]> {
  const out: number[] = [];
  for (let off = await findNextExtCap(t, 0, EXT_CAP_DOE); off; off = await findNextExtCap(t, off, EXT_CAP_DOE)) out.push(off);
  return out;
}

export interface RegBlock61 {
  rbi: number;
  bar: number;
  offset: number;
}

/** cxl_find_regblock: Register Locator entries in order until one of type `rbi`; null without a locator / block. */
export async function findRegblock(t: Target, rbi: number): Promise<{ block: RegBlock61 | null; locator: number }> {
  let regloc = await findDvsec(t, CXL_VENDOR, 8);
  if (!regloc) return { block: null, locator: 0 };
  const locator = regloc;
  const size = (await t.cfgRead(regloc + 4, 4)) >>> 20;
  regloc += 0x0c;
  const blocks = Math.floor((size - 0x0c) / 8);
  for (let i = 0; i < blocks; i++, regloc += 8) {
    const lo = await t.cfgRead(regloc, 4);
    const hi = await t.cfgRead(regloc + 4, 4);
    const type = (lo >>> 8) & 0xff;
    if (type === rbi) return { block: { rbi, bar: lo & 7, offset: ((lo & 0xffff_0000) >>> 0) + (hi >>> 0) * 2 ** 32 }, locator };
  }
  return { block: null, locator };
}

export interface DeviceRegMap61 {
  capId: number;
  count: number;
  status: number | null;
  mbox: number | null;
  memdev: number | null;
}

/** cxl_probe_device_regs: readq of the array, then ID / offset / length dwords of each header. */
export async function probeDeviceRegs(t: Target, bar: number, base: number): Promise<DeviceRegMap61> {
  const arr = await t.barRead64(bar, base);
  const map: DeviceRegMap61 = { capId: Number(arr & 0xffffn), count: Number((arr >> 32n) & 0xffffn), status: null, mbox: null, memdev: null };
  if (map.capId !== 0) return map;
  for (let cap = 1; cap <= map.count; cap++) {
    const id = (await t.barRead(bar, base + cap * 0x10, 4)) & 0xffff;
    const offset = await t.barRead(bar, base + cap * 0x10 + 4, 4);
    await t.barRead(bar, base + cap * 0x10 + 8, 4);
    if (id === 1) map.status = base + offset;
    else if (id === 2) map.mbox = base + offset;
    else if (id === 0x4000) map.memdev = base + offset;
  }
  return map;
}

export interface ComponentRegMap61 {
  /** CXL Capability Header ID (must be 1). */
  capId: number;
  /** Block-relative offset of the HDM decoder capability, or null. */
  hdm: number | null;
  hdmCap: number;
}

/** cxl_probe_component_regs (6.1 maps only HDM): header at +0x1000, each capability header, the HDM cap. */
export async function probeComponentRegs(read32: (o: number) => Promise<number>): Promise<ComponentRegMap61> {
  const cm = 0x1000;
  const arr = await read32(cm);
  const map: ComponentRegMap61 = { capId: arr & 0xffff, hdm: null, hdmCap: 0 };
  if (map.capId !== 1) return map;
  const count = (arr >>> 24) & 0xff;
  for (let cap = 1; cap <= count; cap++) {
    const hdr = await read32(cm + cap * 4);
    const id = hdr & 0xffff;
    const offset = (hdr >>> 20) & 0xfff;
    if (id === 5) {
      map.hdmCap = await read32(cm + offset);
      map.hdm = cm + offset;
    }
  }
  return map;
}

/** cxl_hdm_decoder_count: 0 → 1, n → 2n (CXL 2.0 8.2.5.12.1). */
export const hdmDecoderCount = (cap: number): number => {
  const v = cap & 0xf;
  return v === 0 ? 1 : v * 2;
};
