// The host's view of a whole CXL platform: what firmware and the kernel reach besides single functions —
// ECAM config access by BDF, MMIO by physical address, the memory path by HPA, and the ACPI CEDT.
// The emulator's topology provides one (emulator/topology); a hardware endpoint plugs into it as a Target.

import type { CfgWidth } from './access.js';
import type { Bdf, Hpa } from './units.js';
import type { Target } from './target.js';

export interface MemAccessResult {
  /** 'ok', or why the access could not complete: no window/decoder claims the HPA, or the line is poisoned. */
  status: 'ok' | 'unroutable' | 'poison';
  /** Human-readable route or failure, e.g. "CFMWS0 -> hb0 dec0 -> rp1 -> ep1 dec0 DPA 0x1000". */
  detail?: string;
}

export interface Platform {
  /** Every PCI function, as a Target, by topology path. */
  targets(): ReadonlyMap<string, Target>;
  /** The ACPI CEDT table bytes (CHBS + CFMWS records, CXL 2.0 9.14.1 / ACPI 6.4). */
  cedt(): Uint8Array;
  /** ECAM config access by BDF (unclaimed: all-ones). */
  cfgRead(b: Bdf, offset: number, width: CfgWidth): Promise<number>;
  cfgWrite(b: Bdf, offset: number, width: CfgWidth, value: number): Promise<void>;
  /** MMIO by physical address: BARs as enumeration assigned them, host-bridge CHBCRs. */
  mmioRead(addr: number, width: CfgWidth): Promise<number>;
  mmioWrite(addr: number, width: CfgWidth, value: number): Promise<void>;
  /** The memory path by HPA: CFMWS -> host bridge -> switches -> endpoint. Never throws. */
  memRead(addr: Hpa, out: Uint8Array): Promise<MemAccessResult>;
  memWrite(addr: Hpa, data: Uint8Array): Promise<MemAccessResult>;
}
