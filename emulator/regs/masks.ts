// Derives the per-byte masks the register engine works with from a BlockDecl (the data form of QEMU's
// reg_state / write_msk / w1c arrays, DESIGN.md 2). Runs once per block instance; never on the access path.

import type { AccessType, BlockDecl, FieldDecl } from './types.js';

export interface BlockMasks {
  /** Reset image of the block. */
  reset: Uint8Array;
  /** Bits software may write (RW, RWS, RWL, RWO). */
  write: Uint8Array;
  /** Bits a written 1 clears (RW1C, RW1CS). */
  w1c: Uint8Array;
  /** Bits that survive a warm reset (RWS, RW1CS, ROS). */
  sticky: Uint8Array;
  /** Bits that become read-only while the block's lock is set (RWL). */
  lockable: Uint8Array;
  /** Bits of RWO fields (writable until a 1 is written to their field). */
  writeOnce: Uint8Array;
  /** Each RWO field: its register's offset and the field's mask per byte of that register. */
  onceFields: readonly OnceField[];
  /** Reserved bits and bytes no register declares: always read 0. */
  reserved: Uint8Array;
  /** Index of the register that covers each byte (-1: none). */
  regAt: Int16Array;
}

/** An RWO field: `bytes[i]` is the field's mask in byte `offset + i`. */
export interface OnceField {
  offset: number;
  bytes: Uint8Array;
}

const WRITABLE: ReadonlySet<AccessType> = new Set(['RW', 'RWS', 'RWL', 'RWO']);
const CLEARABLE: ReadonlySet<AccessType> = new Set(['RW1C', 'RW1CS']);
const STICKY: ReadonlySet<AccessType> = new Set(['RWS', 'RW1CS', 'ROS']);
const RESERVED: ReadonlySet<AccessType> = new Set(['RsvdP', 'RsvdZ']);

const fieldMask = (f: FieldDecl): bigint => {
  const [hi, lo] = f.bits;
  return ((1n << BigInt(hi - lo + 1)) - 1n) << BigInt(lo);
};

const orBytes = (into: Uint8Array, at: number, width: number, value: bigint): void => {
  for (let i = 0; i < width; i++) into[at + i] |= Number((value >> BigInt(8 * i)) & 0xffn);
};

/** Compile a declaration. Bytes inside the block that no register covers are reserved (read 0). */
export function compileMasks(decl: BlockDecl): BlockMasks {
  const n = decl.size;
  const m: BlockMasks = {
    reset: new Uint8Array(n),
    write: new Uint8Array(n),
    w1c: new Uint8Array(n),
    sticky: new Uint8Array(n),
    lockable: new Uint8Array(n),
    writeOnce: new Uint8Array(n),
    onceFields: [],
    reserved: new Uint8Array(n).fill(0xff),
    regAt: new Int16Array(n).fill(-1),
  };
  decl.registers.forEach((r, idx) => {
    const w = r.width;
    if (r.offset < 0 || r.offset + w > n) return; // a bad declaration is ignored, never thrown at run time
    let declared = 0n;
    for (let i = 0; i < w; i++) m.regAt[r.offset + i] = idx;
    for (const f of r.fields) {
      const mask = fieldMask(f);
      if (RESERVED.has(f.access)) continue;
      declared |= mask;
      const reset = (BigInt(f.reset ?? 0) << BigInt(f.bits[1])) & mask;
      orBytes(m.reset, r.offset, w, reset);
      if (WRITABLE.has(f.access)) orBytes(m.write, r.offset, w, mask);
      if (CLEARABLE.has(f.access)) orBytes(m.w1c, r.offset, w, mask);
      if (STICKY.has(f.access)) orBytes(m.sticky, r.offset, w, mask);
      if (f.access === 'RWL') orBytes(m.lockable, r.offset, w, mask);
      if (f.access === 'RWO') {
        orBytes(m.writeOnce, r.offset, w, mask);
        const bytes = new Uint8Array(w);
        orBytes(bytes, 0, w, mask);
        (m.onceFields as OnceField[]).push({ offset: r.offset, bytes });
      }
    }
    // WO fields read 0: they are neither stored nor reserved (hooks see the written value).
    for (const f of r.fields) if (f.access === 'WO') declared |= fieldMask(f);
    for (let i = 0; i < w; i++) m.reserved[r.offset + i] &= ~Number((declared >> BigInt(8 * i)) & 0xffn) & 0xff;
  });
  return m;
}
