// What a QEMU version's CXL emulation builds, as data, so the command line refuses what that QEMU cannot
// express and the importer knows where things land. Each fact was read off this machine's QEMU 7.2 (Debian
// 1:7.2+dfsg-7) by booting Linux 6.1 on it (test/fixtures/qemu-linux/*), and from `-device cxl-type3,help`.
//
// - cxl-type3 has `memdev` (persistent) and `lsa`; no `volatile-memdev` (QEMU 8.0 added it). Which one the
//   installed QEMU has is probed at run time (host-tools.ts: qemuCaps), not assumed.
// - Every HDM decoder capability (pxb-cxl CHBCR, cxl-upstream, cxl-type3) reports Decoder Count 0 = 1 decoder
//   (HDM capability reads 0x310 on a cxl-type3: 1 decoder, target count 1, 256 B and 4 KiB granularity).
// - pxb-cxl component registers (CHBCR) sit at 4 GiB + 64 KiB × host-bridge index (accesses in the
//   interleave2 capture at 0x100001xxx); the CXL fixed memory windows follow at 4 GiB + 256 MiB (cxl_acpi:
//   "decoder0.0 range [0x110000000 - 0x20fffffff]" with -m 1G), in -M cxl-fmw.N order.
// - The CFMWS Window Restrictions are fixed (`cxl list`: pmem, volatile and accelmem capable: 0x0F) and QTG 0.
// - A pxb-cxl's ACPI _UID (the id a CFMWS target list names) is its bus_nr (`cxl list`: dport "id":12).
// - Memory routing through one switch level only (reference/qemu-cxl.md §7).

export interface QemuCxlFacts {
  /** The QEMU release these facts describe. */
  version: string;
  /** HDM decoders in every component (host bridge, USP, endpoint); fixed, not settable. */
  hdmDecoders: number;
  /** CHBCR of host bridge i: base + i × stride. */
  chbcrBase: number;
  chbcrStride: number;
  /** Base of the first CXL fixed memory window (with guest RAM ≤ 2 GiB). */
  windowBase: number;
  /** CFMWS restrictions QEMU always advertises (CXL 2.0 9.14.1.3 bits). */
  windowRestrictions: number;
  /** Switch levels the memory path routes through. */
  maxSwitchDepth: number;
}

export const QEMU_7_2: QemuCxlFacts = {
  version: '7.2',
  hdmDecoders: 1,
  chbcrBase: 0x1_0000_0000,
  chbcrStride: 0x1_0000,
  windowBase: 0x1_1000_0000,
  windowRestrictions: 0x0f,
  maxSwitchDepth: 1,
};

/** What the installed QEMU's cxl-type3 accepts (probed from `-device cxl-type3,help`). */
export interface QemuCaps {
  /** `memdev=` or `persistent-memdev=` */
  persistentMemdev: 'memdev' | 'persistent-memdev';
  /** `volatile-memdev=` exists (QEMU ≥ 8.0). */
  volatileMemdev: boolean;
}

export const QEMU_7_2_CAPS: QemuCaps = { persistentMemdev: 'memdev', volatileMemdev: false };

/** Guest RAM the command line gives (MiB): small enough to boot fast, and below the 2 GiB the window base assumes. */
export const GUEST_RAM_MIB = 1024;
