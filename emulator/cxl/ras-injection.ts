// RAS error injection and First Error Pointer upkeep on a 'cxl-ras' RegisterBlock (CXL 2.0 8.2.5.9), the
// device-side half of QEMU's cxl-inject-uncorrectable-errors / cxl-inject-correctable-error.

import type { RegisterBlock } from '../regs/register-block.js';
import { RAS_CE_MASK, RAS_UE_MASK } from './component-regs.js';

const UE_STATUS = 0x00;
const CE_STATUS = 0x0c;
const CAP_CTL = 0x14;
const HEADER_LOG = 0x18;
const FEP_MASK = 0x3f;

export type RasErrorKind = 'uncorrectable' | 'correctable';

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
   * Set error status bits as the device would on detecting them. For uncorrectable errors with no error
   * already recorded, the First Error Pointer takes the lowest new bit and `header` (up to 64 bytes) fills the
   * Header Log. Bits outside the defined set are ignored. Returns the bits that were set.
   */
  inject(kind: RasErrorKind, bits: number, header?: Uint8Array): number {
    const b = this.block;
    if (kind === 'correctable') {
      const set = bits & RAS_CE_MASK;
      b.set(CE_STATUS, 4, (b.get(CE_STATUS, 4) | set) >>> 0);
      return set;
    }
    const set = bits & RAS_UE_MASK;
    if (set === 0) return 0;
    const before = b.get(UE_STATUS, 4);
    b.set(UE_STATUS, 4, (before | set) >>> 0);
    if (before === 0) {
      b.setBits(CAP_CTL, 4, FEP_MASK, lowestBit(set));
      const log = new Uint8Array(64);
      if (header) log.set(header.subarray(0, 64));
      b.setBytes(HEADER_LOG, log);
    }
    return set;
  }
}
