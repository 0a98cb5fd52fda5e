// RAS error injection and First Error Pointer upkeep on a 'cxl-ras' RegisterBlock (CXL 2.0 8.2.5.9), the
// device-side half of QEMU's cxl-inject-uncorrectable-errors / cxl-inject-correctable-error.
//
// Masks (CXL 2.0 8.2.5.9.2 and 8.2.5.9.5): a masked error is not recorded: its status bit is not set, it does not
// touch the First Error Pointer or the Header Log, and it is not signalled. QEMU's hw/mem/cxl_type3.c does the
// same ("If the error is masked, nothing to do here" in both qmp_cxl_inject_* handlers), so both profiles share
// this. (PCIe AER differs: PCIe Base 7.8.4.3 still sets a masked error's status bit and only withholds the
// Header Log, First Error Pointer and the error message.) The masks reset to all ones (every defined bit
// masked), as QEMU's ras_init_common and real silicon (e.g. Intel's CXL CM mask registers, default 1 per bit)
// do, so software (Linux cxl_pci, firmware) must unmask before an injected error shows.

import type { RegisterBlock } from '../regs/register-block.js';
import { RAS_CE_MASK, RAS_UE_MASK } from './component-regs.js';

const UE_STATUS = 0x00;
const UE_MASK = 0x04;
const CE_STATUS = 0x0c;
const CE_MASK = 0x10;
const CAP_CTL = 0x14;
const HEADER_LOG = 0x18;
const FEP_MASK = 0x3f;

export type RasErrorKind = 'uncorrectable' | 'correctable';

/** Where each status register and its mask live, and which bits are defined (CXL 2.0 8.2.5.9.1-5). */
const KIND: Readonly<Record<RasErrorKind, { status: number; mask: number; defined: number }>> = {
  uncorrectable: { status: UE_STATUS, mask: UE_MASK, defined: RAS_UE_MASK },
  correctable: { status: CE_STATUS, mask: CE_MASK, defined: RAS_CE_MASK },
};

export interface RasInjectOptions {
  /** Header Log contents for the first uncorrectable error (up to 64 bytes, CXL 2.0 8.2.5.9.8). */
  header?: Uint8Array;
  /** Clear the requested bits in the mask register first, as software would (the bench's "--unmask"). */
  unmask?: boolean;
}

/** What an injection did, each a bit mask over the status register. */
export interface RasInjection {
  /** Defined bits that were asked for (undefined bits are dropped). */
  requested: number;
  /** Bits newly recorded in the status register (already-set bits count too: they stay set). */
  set: number;
  /** Bits the mask register held back: not recorded, not logged, not signalled. */
  masked: number;
  /** Bits whose mask the injection cleared first (`unmask`). */
  unmasked: number;
}

const lowestBit = (v: number): number => 31 - Math.clz32(v & -v);

export class RasModel {
  constructor(private readonly block: RegisterBlock) {
    // When software clears the error the First Error Pointer names, point at the next one still set.
    block.onWrite(UE_STATUS, (b) => {
      const st = b.get(UE_STATUS, 4);
      const fep = b.get(CAP_CTL, 4) & FEP_MASK;
      if (st !== 0 && ((st >>> fep) & 1) === 0) b.setBits(CAP_CTL, 4, FEP_MASK, lowestBit(st));
    });
  }

  /**
   * Detect errors as the device would: unmasked bits set their status bits; for uncorrectable errors with none
   * already recorded, the First Error Pointer takes the lowest recorded bit and `header` fills the Header Log.
   * Masked bits change nothing. Bits outside the defined set are ignored.
   */
  inject(kind: RasErrorKind, bits: number, opts: RasInjectOptions = {}): RasInjection {
    const b = this.block;
    const k = KIND[kind];
    const requested = (bits & k.defined) >>> 0;
    const maskBefore = b.get(k.mask, 4);
    const unmasked = opts.unmask ? (requested & maskBefore) >>> 0 : 0;
    if (unmasked !== 0) b.set(k.mask, 4, (maskBefore & ~unmasked) >>> 0);
    const masked = (requested & b.get(k.mask, 4)) >>> 0;
    const set = (requested & ~masked) >>> 0;
    const out: RasInjection = { requested, set, masked, unmasked };
    if (set === 0) return out;
    const before = b.get(k.status, 4);
    b.set(k.status, 4, (before | set) >>> 0);
    if (kind === 'uncorrectable' && before === 0) {
      b.setBits(CAP_CTL, 4, FEP_MASK, lowestBit(set));
      const log = new Uint8Array(64);
      if (opts.header) log.set(opts.header.subarray(0, 64));
      b.setBytes(HEADER_LOG, log);
    }
    return out;
  }
}
