// An address space of one function (config space, one BAR, a CHBCR) made of placed RegisterBlocks. Finds the
// block for an offset with one typed-array lookup per access and records the access status for the tracer:
//  - inside a block: the block's rules decide (ok / bad-access);
//  - inside the space but in no block: reserved space, reads 0, writes dropped, 'ok' (a function decodes its
//    whole config space and whole BAR; unimplemented registers read 0 — PCIe Base 7.5.1.1 / 7.2.2);
//  - outside the space: 'unclaimed', reads all-ones (nothing decodes the address).

import { accepts, type AccessRules } from './access-rules.js';
import type { RegisterBlock, ResetKind } from './register-block.js';

export const STATUS_OK = 0; // codes of common/access.ts STATUSES
export const STATUS_UNCLAIMED = 1;
export const STATUS_BAD_ACCESS = 2;

export interface Placed {
  base: number;
  block: RegisterBlock;
}

export class RegisterSpace {
  /** Status code (common/access.ts STATUSES index) of the last access. */
  status = STATUS_OK;
  readonly placed: Placed[] = [];
  private readonly index: Uint16Array; // per dword: 0 = no block, else placed index + 1
  private readonly bases: number[] = [];
  private readonly blocks: RegisterBlock[] = [];

  constructor(
    readonly size: number,
    /** Rules for accesses that land in no block (reserved space). */
    readonly gapRules: AccessRules,
  ) {
    this.index = new Uint16Array(Math.ceil(size / 4));
  }

  /** Put a block at `base` (dword aligned). Later placements win where they overlap. */
  place(base: number, block: RegisterBlock): RegisterBlock {
    this.placed.push({ base, block });
    this.bases.push(base);
    this.blocks.push(block);
    const id = this.placed.length;
    const end = Math.min(this.size, base + block.size);
    for (let o = base; o < end; o += 4) this.index[o >> 2] = id;
    return block;
  }

  blockAt(offset: number): Placed | undefined {
    if (offset < 0 || offset >= this.size) return undefined;
    const id = this.index[offset >> 2];
    return id === 0 ? undefined : this.placed[id - 1];
  }

  read(offset: number, width: 1 | 2 | 4): number {
    if (offset < 0 || offset + width > this.size) {
      this.status = STATUS_UNCLAIMED;
      return width === 4 ? 0xffff_ffff : (1 << (8 * width)) - 1;
    }
    const id = this.index[offset >> 2];
    if (id !== 0 && this.index[(offset + width - 1) >> 2] === id) {
      const b = this.blocks[id - 1];
      const v = b.read(offset - this.bases[id - 1], width);
      this.status = b.lastOk ? STATUS_OK : STATUS_BAD_ACCESS;
      return v;
    }
    return this.gapRead(offset, width, id);
  }

  write(offset: number, width: 1 | 2 | 4, value: number): void {
    if (offset < 0 || offset + width > this.size) {
      this.status = STATUS_UNCLAIMED;
      return;
    }
    const id = this.index[offset >> 2];
    if (id !== 0 && this.index[(offset + width - 1) >> 2] === id) {
      const b = this.blocks[id - 1];
      b.write(offset - this.bases[id - 1], width, value);
      this.status = b.lastOk ? STATUS_OK : STATUS_BAD_ACCESS;
      return;
    }
    this.status = id === 0 && accepts(this.gapRules, offset, width) ? STATUS_OK : STATUS_BAD_ACCESS;
  }

  read64(offset: number): bigint {
    if (offset < 0 || offset + 8 > this.size) {
      this.status = STATUS_UNCLAIMED;
      return 0xffff_ffff_ffff_ffffn;
    }
    const id = this.index[offset >> 2];
    if (id !== 0 && this.index[(offset + 7) >> 2] === id) {
      const b = this.blocks[id - 1];
      const v = b.read64(offset - this.bases[id - 1]);
      this.status = b.lastOk ? STATUS_OK : STATUS_BAD_ACCESS;
      return v;
    }
    const ok = id === 0 && this.index[(offset + 7) >> 2] === 0 && accepts(this.gapRules, offset, 8);
    this.status = ok ? STATUS_OK : STATUS_BAD_ACCESS;
    return ok || this.gapRules.badRead === 'zero' ? 0n : 0xffff_ffff_ffff_ffffn;
  }

  write64(offset: number, value: bigint): void {
    if (offset < 0 || offset + 8 > this.size) {
      this.status = STATUS_UNCLAIMED;
      return;
    }
    const id = this.index[offset >> 2];
    if (id !== 0 && this.index[(offset + 7) >> 2] === id) {
      const b = this.blocks[id - 1];
      b.write64(offset - this.bases[id - 1], value);
      this.status = b.lastOk ? STATUS_OK : STATUS_BAD_ACCESS;
      return;
    }
    const ok = id === 0 && this.index[(offset + 7) >> 2] === 0 && accepts(this.gapRules, offset, 8);
    this.status = ok ? STATUS_OK : STATUS_BAD_ACCESS;
  }

  reset(kind: ResetKind): void {
    for (const p of this.placed) p.block.reset(kind);
  }

  private gapRead(offset: number, width: 1 | 2 | 4, id: number): number {
    // Either reserved space, or an access that straddles two blocks (only possible when misaligned).
    const ok = id === 0 && this.index[(offset + width - 1) >> 2] === 0 && accepts(this.gapRules, offset, width);
    this.status = ok ? STATUS_OK : STATUS_BAD_ACCESS;
    if (ok || this.gapRules.badRead === 'zero') return 0;
    return width === 4 ? 0xffff_ffff : (1 << (8 * width)) - 1;
  }
}
