// A register's value decoded field by field from its declaration (emulator/regs/types.ts): the same data the
// engine runs on and trace decode uses, so the explorer can never disagree with the emulator.

import type { BlockDecl, FieldDecl, RegisterDecl } from '../../emulator/regs/types.js';
import type { DecodedField, DecodedRegister } from '../api/contract-live.js';

export const hexOf = (v: bigint | number, digits: number): string => '0x' + v.toString(16).padStart(digits, '0');

export function fieldValue(f: FieldDecl, value: bigint): bigint {
  const [hi, lo] = f.bits;
  return (value >> BigInt(lo)) & ((1n << BigInt(hi - lo + 1)) - 1n);
}

export function decodeField(f: FieldDecl, value: bigint): DecodedField {
  const v = fieldValue(f, value);
  const [hi, lo] = f.bits;
  const out: DecodedField = { name: f.name, bits: [hi, lo], access: f.access, value: hexOf(v, Math.ceil((hi - lo + 1) / 4)), desc: f.desc };
  if (f.values) {
    out.values = { ...f.values };
    const named = v <= BigInt(Number.MAX_SAFE_INTEGER) ? f.values[Number(v)] : undefined;
    if (named !== undefined) out.valueName = named;
  }
  return out;
}

/** `base`: the block's offset in its region, so `offset` is region-relative (what an access uses). */
export function decodeRegister(block: BlockDecl, base: number, r: RegisterDecl, value: bigint): DecodedRegister {
  return {
    block: block.id,
    blockName: block.name,
    offset: base + r.offset,
    width: r.width,
    name: r.name,
    value: hexOf(value, 2 * r.width),
    fields: r.fields.map((f) => decodeField(f, value)),
  };
}
