// Device profiles: 'spec' follows CXL 2.0 / PCIe Base; 'qemu' reproduces QEMU's cxl-type3 (IDs, config offsets,
// BAR layout, register values; reference sheets qemu-cxl.md 1-3 and cxl-registers.md 1-3) so traces line up
// with a QEMU guest. Where QEMU departs from the spec the difference is noted here.

import type { DeviceProfile } from './config.js';

export interface Type3Profile {
  vendorId: number;
  deviceId: number;
  revision: number;
  subVendorId: number;
  subId: number;
  /** Config offsets of the standard capabilities (0 = absent). */
  pmAt: number;
  msixAt: number;
  /** BAR4 (MSI-X table + PBA): 1 = 32-bit, 2 = 64-bit memory BAR (type0-header BarKind). */
  msixBarKind: 1 | 2;
  pcieAt: number;
  /** Extended capabilities in chain order; each at a fixed offset or packed after the previous one. */
  ext: readonly { kind: 'aer' | 'dsn' | 'doe' | 'dvsecs'; at?: number }[];
  dvsecDeviceRevision: number;
  dvsecDeviceCap: (ranges: number) => number;
  dvsecDeviceStatus2: number;
  flexBusRevision: number;
  flexBusCtl: number;
  registerLocatorEntries: number;
  /** Link speed (PCIe encoding) and width. */
  linkSpeed: number;
  linkWidth: number;
  doeIrq: number;
  /** Component cache/mem layout: structure offsets from the cache/mem start, and the versions reported. */
  rasAt: number;
  linkAt: number;
  hdmAt: number;
  rasVersion: number;
  linkVersion: number;
  hdmVersion: number;
  /** Device register layout. */
  devStatusAt: number;
  memdevAt: (payloadBytes: number) => number;
  mailboxAt: (payloadBytes: number) => number;
  devStatusVersion: number;
  devCapType: number;
  mbBgIrq: number;
  mbMsgNum: number;
  /** Width of the mailbox Payload Length field the device decodes. */
  mbLengthBits: number;
  /** Which reset-value conventions apply where the profile has no field (CDAT revision, Flex Bus timestamps). */
  family: 'spec' | 'qemu';
  /** The Flex Bus Port DVSEC is built (QEMU 7.2's cxl-type3 has none). */
  flexBus: boolean;
  /** HDM Decoder Capability [12:8] flags and the Target Count an endpoint reports (undefined: the decl's). */
  hdmCapBits?: number;
  hdmTargetCount?: number;
  /** PCIe capability reset values as QEMU 7.2's pcie_cap_init (capabilities.ts qemu72). */
  pcieQemu72?: boolean;
  /** MSI-X vectors (Table Size + 1); undefined: the device's default. */
  msixVectors?: number;
  /** The Command register's IO Space Enable takes writes although there is no I/O BAR (QEMU's wmask). */
  ioEnableWritable?: boolean;
  /** Mailbox completion leaves only the output length in the Command register (QEMU 7.2). */
  mbClearOpcode?: boolean;
  /** HDM commit clears Commit when it sets Committed (QEMU 7.2 hdm_decoder_commit). */
  hdmClearCommit?: boolean;
}

/**
 * 'spec': vendor 0x1E98 is the CXL consortium's PCI-SIG vendor ID (the DVSEC vendor ID of every CXL DVSEC); no
 * silicon ships with it, which makes it a safe emulation-only ID. Device 0x7003 = "CXL Bench Type 3". Linux
 * binds cxl_pci by class code 0x050210, not by ID.
 */
const SPEC: Type3Profile = {
  vendorId: 0x1e98,
  deviceId: 0x7003,
  revision: 0x01,
  subVendorId: 0x1e98,
  subId: 0x7003,
  pmAt: 0x40, // PCIe Base 7.5.2: every PCIe function implements PM (QEMU's cxl-type3 has none)
  msixAt: 0x48,
  msixBarKind: 2,
  pcieAt: 0x60,
  ext: [{ kind: 'aer', at: 0x100 }, { kind: 'dsn' }, { kind: 'doe' }, { kind: 'dvsecs' }],
  dvsecDeviceRevision: 1, // CXL 2.0 8.1.3: revision 1, length 0x38
  // IO + Mem + Mem_HwInit_Mode, HDM_Count = ranges, PM Init Completion Reporting Capable.
  dvsecDeviceCap: (ranges) => 0x0002 | 0x0004 | 0x0008 | ((ranges & 3) << 4) | 0x8000,
  dvsecDeviceStatus2: 0x8000, // PM Init Complete
  flexBusRevision: 1, // CXL 2.0 8.2.1.3: revision 1, length 0x14
  flexBusCtl: 0x26, // trained in CXL 2.0 mode with .io and .mem (QEMU leaves Mem/CXL2p0 enables at 0)
  registerLocatorEntries: 2,
  linkSpeed: 5,
  linkWidth: 16,
  doeIrq: 0,
  rasAt: 0x40,
  linkAt: 0xa0,
  hdmAt: 0x100,
  // CXL_Capability_Version of the RAS Capability: 2 in CXL 2.0 (the CXL 1.1 structure was version 1; r3.x moved
  // to 3 with Poison_Enabled, which QEMU adopted as "CXL r3.1 8.2.4.17 ... VERSION 3"). QEMU's CXL 2.0 code wrote
  // 2 (its first draft wrote 1 and was corrected before merge), and our ports already report 2
  // (topology/component-layout.ts). Linux cxl.h defines only the ID (CXL_CM_CAP_CAP_ID_RAS = 2) and
  // CXL_RAS_CAPABILITY_LENGTH (0x58); it never checks the version, so this changes what a trace shows, not
  // whether the driver binds.
  rasVersion: 2,
  linkVersion: 2,
  hdmVersion: 1,
  devStatusAt: 0x80,
  memdevAt: () => 0x100,
  mailboxAt: () => 0x200,
  devStatusVersion: 1, // CXL 2.0: version 1 (bit 4, DC log, arrived in r3.0)
  devCapType: 0, // CXL 2.0 8.2.8.1: bits [31:24] reserved
  mbBgIrq: 0, // interrupts are not emulated, so none is advertised
  mbMsgNum: 0,
  mbLengthBits: 21, // CXL 2.0 8.2.8.4.5: Payload Length is [36:16]
  family: 'spec',
  flexBus: true,
};

/**
 * 'qemu': 8086:0d93, MSI-X at 0x40, PCIe at 0x80, DSN at 0x100, DVSECs from 0x10C (r3.1 forms: DVSEC 0 rev 3
 * 0x3C, Register Locator 0x24 with 3 slots, Flex Bus rev 2 0x20), DOE, AER at 0x200. QEMU puts DOE at 0x190,
 * which the DVSEC chain (0x10C + 0x90 = 0x19C) overlaps when a serial number is set; we place DOE right after
 * the chain instead (0x19C) so both structures stay readable.
 */
const QEMU: Type3Profile = {
  ...SPEC,
  vendorId: 0x8086,
  deviceId: 0x0d93,
  revision: 0x01,
  subVendorId: 0x1af4,
  subId: 0x1100,
  pmAt: 0,
  msixAt: 0x40,
  // QEMU's msix_init_exclusive_bar registers a 32-bit memory BAR (seen in a QEMU 7.2 capture: BAR4 sizes as
  // 0xfffff000, BAR5 unimplemented).
  msixBarKind: 1,
  pcieAt: 0x80,
  ext: [{ kind: 'dsn', at: 0x100 }, { kind: 'dvsecs' }, { kind: 'doe' }, { kind: 'aer', at: 0x200 }],
  dvsecDeviceRevision: 3,
  dvsecDeviceCap: () => 0x001e, // HDM_Count = 1 even with two ranges
  dvsecDeviceStatus2: 0x0002,
  flexBusRevision: 2,
  flexBusCtl: 0x02,
  registerLocatorEntries: 3,
  linkSpeed: 5,
  linkWidth: 16,
  doeIrq: 1,
  rasAt: 0x80,
  linkAt: 0xd8,
  hdmAt: 0x128,
  rasVersion: 2,
  linkVersion: 2,
  hdmVersion: 1,
  devStatusAt: 0x80,
  mailboxAt: () => 0x88,
  memdevAt: (payload) => 0x88 + 0x20 + payload,
  devStatusVersion: 2,
  devCapType: 0,
  mbBgIrq: 1,
  mbMsgNum: 7,
  mbLengthBits: 20, // QEMU decodes only [35:16]
  family: 'qemu',
  flexBus: true,
};

/**
 * 'qemu-7.2': cxl-type3 exactly as Debian 12's QEMU 7.2 (1:7.2+dfsg-7) builds it — hw/mem/cxl_type3.c
 * ct3_realize/build_dvsecs, hw/cxl/cxl-device-utils.c, cxl-component-utils.c of that tree — and as a real
 * Linux 6.1 guest read it (test/fixtures/qemu-linux): PCIe at 0x80, DSN at 0x100 (with `sn`), then only three
 * DVSECs (CXL 2.0 DVSEC 0 revision 1 length 0x38, Register Locator, GPF Device; no Flex Bus), DOE at 0x190
 * with MSI-X vector 0, and no AER. BAR0: RAS at 0x80, Link at 0xD8, HDM decoder at 0x110 (one decoder, target
 * count 1, 256 B / 4 KiB granularity only). BAR2: Device Status version 1; mailbox with 2 KiB payload and no
 * interrupt capability (MB Capabilities = 0xB).
 */
const QEMU_7_2: Type3Profile = {
  ...QEMU,
  ext: [{ kind: 'dsn', at: 0x100 }, { kind: 'dvsecs' }, { kind: 'doe', at: 0x190 }],
  dvsecDeviceRevision: 1,
  registerLocatorEntries: 3,
  flexBus: false,
  doeIrq: 1,
  hdmAt: 0x110,
  devStatusVersion: 1,
  mbBgIrq: 0,
  mbMsgNum: 0,
  hdmCapBits: (1 << 8) | (1 << 9),
  hdmTargetCount: 1,
  pcieQemu72: true,
  msixVectors: 1, // msix_init_exclusive_bar(pci_dev, 1, 4, NULL)
  ioEnableWritable: true,
  mbClearOpcode: true,
  hdmClearCommit: true,
};

/**
 * 'spec-2.0': CXL 2.0 throughout, as a device that claims 2.0 must be: bits 2.0 reserves read 0 — HDM Decoder
 * Capability [12:11] (3/6/12-way and 16-way interleave arrived in r3.0) — and the mailbox has 2.0's commands and
 * Identify length (emulator/mailbox/profile.ts). 'spec' keeps the r3.x forms the bench grew up with (those bits,
 * Features, Request Abort, the 0x45-byte Identify) until every test that leans on them names 'spec'.
 */
const SPEC_2_0: Type3Profile = { ...SPEC, hdmCapBits: (1 << 8) | (1 << 9) };

export const TYPE3_PROFILES: Readonly<Record<DeviceProfile, Type3Profile>> = { spec: SPEC, 'spec-2.0': SPEC_2_0, qemu: QEMU, 'qemu-7.2': QEMU_7_2 };
