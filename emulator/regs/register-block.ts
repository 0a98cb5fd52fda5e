// One instance of a declared register block: a backing byte array (QEMU's reg_state) plus the masks derived
// from the declaration, with the access path software uses (masked, width-checked, hooked) and the path the
// device model uses (set/get: no masks, no hooks). Hardware never throws: a rejected access reads the rules'
// bad-read value, drops the write and leaves `lastOk` false for the caller to trace as 'bad-access'.
//
// The read path allocates nothing: a width check, one hook-flag lookup and a DataView read.

import { accepts, type AccessRules } from './access-rules.js';
import { compileMasks, type BlockMasks } from './masks.js';
import type { BlockDecl, RegisterDecl } from './types.js';

/** Called after software wrote bytes of a register. Values are the raw written value (low/high 32 bits). */
export type WriteHook = (
  block: RegisterBlock,
  reg: RegisterDecl,
  valueLo: number,
  valueHi: number,
  accessOffset: number,
  width: number,
) => void;
/** Called before software reads bytes of a register, so the model can refresh live state with `set`. */
export type ReadHook = (block: RegisterBlock, reg: RegisterDecl) => void;

export type ResetKind = 'cold' | 'warm';

export class RegisterBlock {
  readonly size: number;
  readonly state: Uint8Array;
  readonly masks: BlockMasks;
  /** False after the last software access was rejected by the block's rules. */
  lastOk = true;

  private readonly view: DataView;
  /** Effective write mask: declared writable bits minus locked RWL bits minus spent RWO bits. */
  private readonly wmask: Uint8Array;
  private readonly lockedBits: Uint8Array;
  private readonly spentOnce: Uint8Array;
  private readonly readHookAt: Uint8Array;
  private readonly writeHookAt: Uint8Array;
  private readonly readHooks: (ReadHook | undefined)[];
  private readonly writeHooks: (WriteHook | undefined)[];
  private readonly badRead: number;

  constructor(
    readonly decl: BlockDecl,
    readonly rules: AccessRules,
    /** `data: true` makes every byte plain read-write storage (mailbox payload areas, MSI-X tables' data). */
    opts: { data?: boolean } = {},
  ) {
    this.size = decl.size;
    this.masks = compileMasks(decl);
    if (opts.data) {
      this.masks.write.fill(0xff);
      this.masks.reserved.fill(0);
    }
    this.state = new Uint8Array(this.size);
    this.view = new DataView(this.state.buffer);
    this.wmask = new Uint8Array(this.size);
    this.lockedBits = new Uint8Array(this.size);
    this.spentOnce = new Uint8Array(this.size);
    this.readHookAt = new Uint8Array(this.size);
    this.writeHookAt = new Uint8Array(this.size);
    this.readHooks = new Array(decl.registers.length).fill(undefined);
    this.writeHooks = new Array(decl.registers.length).fill(undefined);
    this.badRead = rules.badRead === 'ones' ? 0xffff_ffff : 0;
    this.reset('cold');
  }

  // ---- software access (masks, rules, hooks) ----

  read(offset: number, width: 1 | 2 | 4): number {
    if (!accepts(this.rules, offset, width) || offset < 0 || offset + width > this.size) {
      this.lastOk = false;
      return width === 4 ? this.badRead >>> 0 : this.badRead & ((1 << (8 * width)) - 1);
    }
    this.lastOk = true;
    if (this.readHookAt[offset] !== 0 || this.readHookAt[offset + width - 1] !== 0) this.runReadHooks(offset, width);
    const v = this.view;
    return width === 4 ? v.getUint32(offset, true) : width === 2 ? v.getUint16(offset, true) : v.getUint8(offset);
  }

  write(offset: number, width: 1 | 2 | 4, value: number): void {
    if (!accepts(this.rules, offset, width) || offset < 0 || offset + width > this.size) {
      this.lastOk = false;
      return;
    }
    this.lastOk = true;
    for (let i = 0; i < width; i++) this.writeByte(offset + i, (value >>> (8 * i)) & 0xff);
    this.spendOnceFields(offset, width);
    this.runWriteHooks(offset, width, value >>> 0, 0);
  }

  read64(offset: number): bigint {
    if (!accepts(this.rules, offset, 8) || offset < 0 || offset + 8 > this.size) {
      this.lastOk = false;
      return this.badRead === 0 ? 0n : 0xffff_ffff_ffff_ffffn;
    }
    this.lastOk = true;
    if (this.readHookAt[offset] !== 0 || this.readHookAt[offset + 7] !== 0) this.runReadHooks(offset, 8);
    return (BigInt(this.view.getUint32(offset + 4, true)) << 32n) | BigInt(this.view.getUint32(offset, true));
  }

  write64(offset: number, value: bigint): void {
    if (!accepts(this.rules, offset, 8) || offset < 0 || offset + 8 > this.size) {
      this.lastOk = false;
      return;
    }
    this.lastOk = true;
    const lo = Number(value & 0xffff_ffffn);
    const hi = Number((value >> 32n) & 0xffff_ffffn);
    for (let i = 0; i < 4; i++) this.writeByte(offset + i, (lo >>> (8 * i)) & 0xff);
    for (let i = 0; i < 4; i++) this.writeByte(offset + 4 + i, (hi >>> (8 * i)) & 0xff);
    this.spendOnceFields(offset, 8);
    this.runWriteHooks(offset, 8, lo, hi);
  }

  // ---- device-model access (no masks, no hooks; reserved bits stay zero) ----

  get(offset: number, width: 1 | 2 | 4): number {
    const v = this.view;
    return width === 4 ? v.getUint32(offset, true) : width === 2 ? v.getUint16(offset, true) : v.getUint8(offset);
  }

  set(offset: number, width: 1 | 2 | 4, value: number): void {
    for (let i = 0; i < width; i++) {
      this.state[offset + i] = ((value >>> (8 * i)) & 0xff & ~this.masks.reserved[offset + i]) as number;
    }
  }

  /** Read-modify-write of the bits in `mask` by the model. */
  setBits(offset: number, width: 1 | 2 | 4, mask: number, value: number): void {
    this.set(offset, width, ((this.get(offset, width) & ~mask) | (value & mask)) >>> 0);
  }

  get64(offset: number): bigint {
    return (BigInt(this.view.getUint32(offset + 4, true)) << 32n) | BigInt(this.view.getUint32(offset, true));
  }

  set64(offset: number, value: bigint): void {
    this.set(offset, 4, Number(value & 0xffff_ffffn));
    this.set(offset + 4, 4, Number((value >> 32n) & 0xffff_ffffn));
  }

  /** Copy raw bytes in (payload areas, header logs). */
  setBytes(offset: number, bytes: Uint8Array): void {
    for (let i = 0; i < bytes.length && offset + i < this.size; i++) {
      this.state[offset + i] = bytes[i] & ~this.masks.reserved[offset + i];
    }
  }

  // ---- locks, reset, hooks ----

  /**
   * Lock or unlock the RWL bits in [start, end) (e.g. CXL 2.0 8.1.3.6 CONFIG_LOCK over the DVSEC, or one HDM
   * decoder's registers after Lock On Commit, 8.2.5.12.7).
   */
  lock(locked: boolean, start = 0, end = this.size): void {
    for (let i = Math.max(0, start); i < Math.min(end, this.size); i++) {
      this.lockedBits[i] = locked ? this.masks.lockable[i] : 0;
      this.wmask[i] = this.masks.write[i] & ~this.lockedBits[i] & ~this.spentOnce[i];
    }
  }

  isLocked(offset: number): boolean {
    return this.lockedBits[offset] !== 0;
  }

  /** Cold reset restores every bit; warm (conventional) reset keeps sticky bits (PCIe Base 7.4 "Sticky"). */
  reset(kind: ResetKind): void {
    const m = this.masks;
    for (let i = 0; i < this.size; i++) {
      const keep = kind === 'warm' ? m.sticky[i] : 0;
      this.state[i] = (this.state[i] & keep) | (m.reset[i] & ~keep);
      this.lockedBits[i] = 0;
      this.spentOnce[i] = 0;
      this.wmask[i] = m.write[i];
    }
  }

  /** Attach a post-write hook to the register at `regOffset` (or named `name`). */
  onWrite(reg: number | string, hook: WriteHook): void {
    const idx = this.regIndex(reg);
    if (idx < 0) return;
    this.writeHooks[idx] = hook;
    const r = this.decl.registers[idx];
    this.writeHookAt.fill(1, r.offset, r.offset + r.width);
  }

  /** Attach a pre-read hook (live values: status registers fed by the model). */
  onRead(reg: number | string, hook: ReadHook): void {
    const idx = this.regIndex(reg);
    if (idx < 0) return;
    this.readHooks[idx] = hook;
    const r = this.decl.registers[idx];
    this.readHookAt.fill(1, r.offset, r.offset + r.width);
  }

  /** Offset of a register by name (-1 if absent). For setup code, not the access path. */
  offsetOf(name: string): number {
    const r = this.decl.registers.find((x) => x.name === name);
    return r ? r.offset : -1;
  }

  /** Bits software may currently write at `offset` (for tests and conformance checks). */
  writableAt(offset: number): number {
    return this.wmask[offset];
  }

  private regIndex(reg: number | string): number {
    return typeof reg === 'number'
      ? this.decl.registers.findIndex((r) => r.offset === reg)
      : this.decl.registers.findIndex((r) => r.name === reg);
  }

  private writeByte(at: number, b: number): void {
    const wm = this.wmask[at];
    const c = this.masks.w1c[at] & b;
    const old = this.state[at];
    if ((wm | c) === 0) return;
    this.state[at] = ((old & ~wm) | (b & wm)) & ~c;
  }

  /**
   * RWO ("Read-Write-One-To-Lock" in the CXL register attribute definitions; e.g. CONFIG_LOCK, CXL 2.0 8.1.3.6): a field stays
   * writable until it holds a 1, then becomes read-only until reset. Per field: writing 0 spends nothing, and
   * locking one RWO field leaves its neighbours in the same byte or register writable.
   */
  private spendOnceFields(offset: number, width: number): void {
    let any = 0;
    for (let i = offset; i < offset + width; i++) any |= this.masks.writeOnce[i];
    if (any === 0) return;
    for (const f of this.masks.onceFields) {
      const n = f.bytes.length;
      if (f.offset >= offset + width || f.offset + n <= offset) continue;
      let set = 0;
      for (let i = 0; i < n; i++) set |= this.state[f.offset + i] & f.bytes[i];
      if (set === 0) continue;
      for (let i = 0; i < n; i++) {
        this.spentOnce[f.offset + i] |= f.bytes[i];
        this.wmask[f.offset + i] &= ~f.bytes[i];
      }
    }
  }

  private runReadHooks(offset: number, width: number): void {
    let last = -1;
    for (let i = offset; i < offset + width; i++) {
      const idx = this.masks.regAt[i];
      if (idx >= 0 && idx !== last) {
        last = idx;
        const h = this.readHooks[idx];
        if (h) h(this, this.decl.registers[idx]);
      }
    }
  }

  private runWriteHooks(offset: number, width: number, lo: number, hi: number): void {
    if (this.writeHookAt[offset] === 0 && this.writeHookAt[offset + width - 1] === 0 && width < 8) return;
    let last = -1;
    for (let i = offset; i < offset + width; i++) {
      const idx = this.masks.regAt[i];
      if (idx >= 0 && idx !== last) {
        last = idx;
        const h = this.writeHooks[idx];
        if (h) h(this, this.decl.registers[idx], lo, hi, offset, width);
      }
    }
  }
}
