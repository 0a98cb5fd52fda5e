// A Target is one PCI function as host software sees it: its config space and its BARs. The emulator offers
// one for every emulated function; hil/ offers one for a hardware endpoint behind a link. Host sequences see
// only this interface, so they run unchanged against both (DESIGN.md section 1).
//
// Emulated targets never reject. A hardware target rejects with a LinkFault when the link times out or drops;
// the access is traced with status 'timeout' / 'link-error' before the promise rejects.

import type { CfgWidth } from './access.js';

export interface Target {
  /** Topology path of the node this function is, e.g. "hb0.rp0.ep0". */
  readonly node: string;
  /** 'emulated' or the link URI of the hardware behind it. */
  readonly backend: string;

  cfgRead(offset: number, width: CfgWidth): Promise<number>;
  cfgWrite(offset: number, width: CfgWidth, value: number): Promise<void>;

  /** BAR-relative MMIO of 1, 2 or 4 bytes. */
  barRead(bar: number, offset: number, width: CfgWidth): Promise<number>;
  barWrite(bar: number, offset: number, width: CfgWidth, value: number): Promise<void>;
  /** BAR-relative 64-bit MMIO, for registers the spec defines as 64-bit (capability arrays, mailbox). */
  barRead64(bar: number, offset: number): Promise<bigint>;
  barWrite64(bar: number, offset: number, value: bigint): Promise<void>;
}

/** Why a hardware access failed. Emulated targets never produce one. */
export class LinkFault extends Error {
  constructor(
    readonly kind: 'timeout' | 'link-error',
    message: string,
  ) {
    super(message);
    this.name = 'LinkFault';
  }
}
