// The platform's fixed address plan (what firmware and ACPI would describe): where host-bridge CHBCRs live and
// the 32-bit MMIO aperture that enumeration carves into bridge windows and BARs. CFMWS windows come from the
// topology file (default base validate.ts DEFAULT_WINDOW_BASE, above 4 GiB).

import type { Topology } from './types.js';
import { CHBCR_SIZE } from './validate.js';

/** CHBCRs of host bridges without an explicit `chbcr`: one 64 KiB slot each from here (as QEMU's host MR). */
export const CHBCR_AREA_BASE = 0x9000_0000;
/** The MMIO aperture for BARs and bridge windows. Component BARs are 64-bit but non-prefetchable, so they
 * must sit below 4 GiB inside the bridges' (32-bit) memory windows (PCI-to-PCI Bridge 1.2, 3.2.5.8). */
export const MMIO_APERTURE_BASE = 0xa000_0000;
export const MMIO_APERTURE_LIMIT = 0xfe00_0000;

export const chbcrAddress = (t: Topology, index: number): number =>
  t.hostBridges[index].chbcr ?? CHBCR_AREA_BASE + index * CHBCR_SIZE;
