// Which bits of an access value a comparison ignores: fields matching the default patterns (timestamps, serial
// numbers, progress) or a user mask "block.register.field" / "register.field", moved to the access's position
// (an access may cover part of a register, or two).

import type { RegisterHit } from '../layout-index.js';
import { DEFAULT_FIELD_MASKS, DEFAULT_MAILBOX_OUTPUT_MASKS } from './options.js';

interface UserMask {
  block?: string;
  register: string;
  field: string;
}

export class FieldMasks {
  private readonly user: UserMask[] = [];
  readonly mailboxOutputs = new Set<number>();

  constructor(
    masks: readonly string[],
    private readonly defaults: boolean,
  ) {
    if (defaults) for (const op of DEFAULT_MAILBOX_OUTPUT_MASKS) this.mailboxOutputs.add(op);
    for (const m of masks) {
      const parts = m.split('.').map((p) => p.trim().toLowerCase());
      if (parts[0] === 'mailbox' && parts.length === 2) {
        const op = Number(parts[1]);
        if (Number.isInteger(op)) this.mailboxOutputs.add(op);
      } else if (parts.length === 3) this.user.push({ block: parts[0], register: parts[1], field: parts[2] });
      else if (parts.length === 2) this.user.push({ register: parts[0], field: parts[1] });
    }
  }

  /** Is this field of this register ignored? */
  masked(hit: RegisterHit, fieldName: string): boolean {
    if (this.defaults) {
      for (const re of DEFAULT_FIELD_MASKS) if (re.test(fieldName) || re.test(hit.register.name)) return true;
    }
    const f = fieldName.toLowerCase();
    const r = hit.register.name.toLowerCase();
    for (const u of this.user) {
      if (u.field !== '*' && u.field !== f) continue;
      if (u.register !== '*' && u.register !== r) continue;
      if (u.block !== undefined && u.block !== '*' && u.block !== hit.block.id.toLowerCase() && u.block !== hit.block.name.toLowerCase())
        continue;
      return true;
    }
    return false;
  }

  /** Bits of an access value (offset, width) that are masked, over every register it covers. */
  accessMask(hits: readonly RegisterHit[], offset: number, width: number): bigint {
    let mask = 0n;
    const accessBits = width * 8;
    for (const h of hits) {
      const shift = (offset - h.base) * 8; // register bit b is access bit b - shift
      for (const f of h.register.fields) {
        if (!this.masked(h, f.name)) continue;
        const lo = Math.max(0, f.bits[1] - shift);
        const hi = Math.min(accessBits - 1, f.bits[0] - shift);
        if (hi < lo) continue;
        mask |= ((1n << BigInt(hi - lo + 1)) - 1n) << BigInt(lo);
      }
    }
    return mask;
  }
}
