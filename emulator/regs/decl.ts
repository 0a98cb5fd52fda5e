// Small constructors for writing register declarations as compact tables (spec data, not code).

import type { Width } from '../../common/access.js';
import type { AccessType, BlockDecl, FieldDecl, RegisterDecl } from './types.js';

export const field = (
  name: string,
  bits: readonly [number, number],
  access: AccessType,
  desc: string,
  reset?: number | bigint,
  values?: Readonly<Record<number, string>>,
): FieldDecl => ({ name, bits, access, desc, ...(reset !== undefined ? { reset } : {}), ...(values ? { values } : {}) });

/** A single-bit field. */
export const bit = (name: string, b: number, access: AccessType, desc: string, reset?: number): FieldDecl =>
  field(name, [b, b], access, desc, reset);

/** Reserved, preserve (reads 0, writes ignored). */
export const rsvdP = (hi: number, lo: number): FieldDecl => field('Reserved', [hi, lo], 'RsvdP', 'Reserved');
/** Reserved, zero. */
export const rsvdZ = (hi: number, lo: number): FieldDecl => field('Reserved', [hi, lo], 'RsvdZ', 'Reserved');

export const reg = (name: string, offset: number, width: Width, fields: readonly FieldDecl[], desc?: string): RegisterDecl => ({
  name,
  offset,
  width,
  fields,
  ...(desc ? { desc } : {}),
});

/** A register holding one read-only value (IDs, pointers, sizes). */
export const roReg = (name: string, offset: number, width: Width, value: number | bigint, desc: string, access: AccessType = 'RO'): RegisterDecl =>
  reg(name, offset, width, [field(name, [8 * width - 1, 0], access, desc, value)]);

/** A register that is one read-write value. */
export const rwReg = (name: string, offset: number, width: Width, desc: string, access: AccessType = 'RW', reset = 0): RegisterDecl =>
  reg(name, offset, width, [field(name, [8 * width - 1, 0], access, desc, reset)]);

export const block = (id: string, name: string, size: number, registers: readonly RegisterDecl[], spec?: string): BlockDecl => ({
  id,
  name,
  size,
  registers,
  ...(spec ? { spec } : {}),
});

/** Shift every register of a declaration by `delta` bytes (to embed a sub-structure inside a block). */
export const shiftRegs = (regs: readonly RegisterDecl[], delta: number, prefix = ''): RegisterDecl[] =>
  regs.map((r) => ({ ...r, name: prefix + r.name, offset: r.offset + delta }));
