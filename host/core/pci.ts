// PCI configuration space helpers over a Target (PCIe Base 7.x chapter 7): header fields, the capability list,
// the extended capability list, DVSEC lookup (as Linux pci_find_dvsec_capability), DSN. Every walk is bounded
// so a looping or all-ones list on broken silicon ends instead of hanging the run.

import type { Target } from '../../common/target.js';

export const CXL_VENDOR_ID = 0x1e98;

/** Capability IDs (PCI Code and ID Assignment 2). */
export const CAP = { pm: 0x01, msi: 0x05, pcie: 0x10, msix: 0x11 } as const;
/** Extended capability IDs (PCI Code and ID Assignment 3). */
export const EXT_CAP = { aer: 0x0001, dsn: 0x0003, dvsec: 0x0023, doe: 0x002e } as const;

/** CXL DVSEC IDs (CXL 2.0 Table 124 / cxlpci.h). */
export const DVSEC = {
  cxlDevice: 0,
  nonCxlFunctionMap: 2,
  portExtensions: 3,
  gpfPort: 4,
  gpfDevice: 5,
  flexBusPort: 7,
  registerLocator: 8,
  mld: 9,
} as const;

export const DVSEC_NAMES: Readonly<Record<number, string>> = {
  0: 'PCIe DVSEC for CXL Devices',
  2: 'Non-CXL Function Map',
  3: 'CXL Extensions DVSEC for Ports',
  4: 'GPF DVSEC for CXL Ports',
  5: 'GPF DVSEC for CXL Devices',
  7: 'PCIe DVSEC for Flex Bus Port',
  8: 'Register Locator',
  9: 'MLD DVSEC',
  10: 'Test Capability',
};

export const EXT_CAP_NAMES: Readonly<Record<number, string>> = {
  0x0001: 'AER',
  0x0003: 'Device Serial Number',
  0x000b: 'Vendor Specific',
  0x0023: 'DVSEC',
  0x002e: 'DOE',
};
export const CAP_NAMES: Readonly<Record<number, string>> = { 0x01: 'Power Management', 0x05: 'MSI', 0x10: 'PCI Express', 0x11: 'MSI-X' };

export interface CapEntry {
  id: number;
  offset: number;
}
export interface ExtCapEntry {
  id: number;
  version: number;
  offset: number;
}
export interface DvsecEntry {
  offset: number;
  vendor: number;
  revision: number;
  length: number;
  id: number;
}

export interface PciIds {
  vendor: number;
  device: number;
  revision: number;
  /** Class code, 24 bits: base << 16 | sub << 8 | prog-if. */
  classCode: number;
  headerType: number;
}

/** Class code of a CXL memory device (class 05h, subclass 02h, prog-if 10h; cxlpci.h CXL_MEMORY_PROGIF). */
export const CXL_MEMORY_CLASS = 0x050210;

export async function pciReadIds(t: Target): Promise<PciIds> {
  const id = await t.cfgRead(0x00, 4);
  const cls = await t.cfgRead(0x08, 4);
  const hdr = await t.cfgRead(0x0e, 1);
  return { vendor: id & 0xffff, device: id >>> 16, revision: cls & 0xff, classCode: cls >>> 8, headerType: hdr & 0x7f };
}

/** The standard capability list from 0x34 (PCI 3.0 6.7); at most 48 entries. */
export async function pciCapabilities(t: Target): Promise<CapEntry[]> {
  const status = await t.cfgRead(0x06, 2);
  if (status === 0xffff || !(status & 0x10)) return [];
  const out: CapEntry[] = [];
  let ptr = (await t.cfgRead(0x34, 1)) & 0xfc;
  const seen = new Set<number>();
  while (ptr >= 0x40 && ptr < 0x100 && !seen.has(ptr) && out.length < 48) {
    seen.add(ptr);
    const hdr = await t.cfgRead(ptr, 2);
    out.push({ id: hdr & 0xff, offset: ptr });
    ptr = (hdr >>> 8) & 0xfc;
  }
  return out;
}

export async function pciFindCapability(t: Target, id: number): Promise<number> {
  return (await pciCapabilities(t)).find((c) => c.id === id)?.offset ?? 0;
}

/** The extended capability list from 0x100 (PCIe Base 7.6); bounded at 1024 entries and by loop detection. */
export async function pciExtCapabilities(t: Target): Promise<ExtCapEntry[]> {
  const out: ExtCapEntry[] = [];
  let pos = 0x100;
  const seen = new Set<number>();
  while (pos >= 0x100 && pos < 0x1000 && !seen.has(pos) && out.length < 1024) {
    seen.add(pos);
    const hdr = await t.cfgRead(pos, 4);
    if (hdr === 0 || hdr === 0xffff_ffff) break;
    out.push({ id: hdr & 0xffff, version: (hdr >>> 16) & 0xf, offset: pos });
    pos = (hdr >>> 20) & 0xffc;
  }
  return out;
}

export async function pciFindExtCapability(t: Target, id: number): Promise<number> {
  return (await pciExtCapabilities(t)).find((c) => c.id === id)?.offset ?? 0;
}

/** Every DVSEC of the function, with its header fields (PCIe Base 7.9.6). */
export async function pciDvsecs(t: Target): Promise<DvsecEntry[]> {
  const out: DvsecEntry[] = [];
  for (const c of await pciExtCapabilities(t)) {
    if (c.id !== EXT_CAP.dvsec) continue;
    const h1 = await t.cfgRead(c.offset + 4, 4);
    const h2 = await t.cfgRead(c.offset + 8, 2);
    out.push({ offset: c.offset, vendor: h1 & 0xffff, revision: (h1 >>> 16) & 0xf, length: h1 >>> 20, id: h2 });
  }
  return out;
}

/** Offset of the first DVSEC with this vendor and ID, or 0 (Linux pci_find_dvsec_capability). */
export async function pciFindDvsec(t: Target, vendor: number, id: number): Promise<number> {
  return (await pciDvsecs(t)).find((d) => d.vendor === vendor && d.id === id)?.offset ?? 0;
}

/** Device Serial Number (PCIe Base 7.9.3), or null when the capability is absent (Linux pci_get_dsn → 0). */
export async function pciReadDsn(t: Target): Promise<bigint | null> {
  const pos = await pciFindExtCapability(t, EXT_CAP.dsn);
  if (!pos) return null;
  const lo = await t.cfgRead(pos + 4, 4);
  const hi = await t.cfgRead(pos + 8, 4);
  return (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);
}

/** PCIe capability: Device/Port Type [7:4] of the PCIe Capabilities register (PCIe Base 7.5.3.2). */
export async function pciePortType(t: Target): Promise<number | null> {
  const pos = await pciFindCapability(t, CAP.pcie);
  if (!pos) return null;
  return ((await t.cfgRead(pos + 2, 2)) >>> 4) & 0xf;
}

/** Port Number [31:24] of Link Capabilities (PCIe Base 7.5.3.6): the id HDM target lists use for dports. */
export async function pciePortNumber(t: Target): Promise<number | null> {
  const pos = await pciFindCapability(t, CAP.pcie);
  if (!pos) return null;
  return (await t.cfgRead(pos + 0x0c, 4)) >>> 24;
}

/**
 * Vectors pci_alloc_irq_vectors(PCI_IRQ_MSIX | PCI_IRQ_MSI) can give: MSI-X Table Size + 1 (PCIe Base 7.7.2.2),
 * else 2^Multiple Message Capable (7.7.1.2); 0 without either capability.
 */
export async function pciIrqVectorCount(t: Target): Promise<number> {
  const msix = await pciFindCapability(t, CAP.msix);
  if (msix) return ((await t.cfgRead(msix + 2, 2)) & 0x7ff) + 1;
  const msi = await pciFindCapability(t, CAP.msi);
  if (msi) return 1 << (((await t.cfgRead(msi + 2, 2)) >>> 1) & 7);
  return 0;
}
