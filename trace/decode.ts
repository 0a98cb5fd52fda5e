// Trace event → register and field names (DESIGN.md 5), with the same declarations the emulator runs on
// (emulator/regs/types.ts via the injected `resolveBlock`). Offsets the layout does not declare decode as
// "(unknown +0xNN)". For writes, given the register's previous value, fields show old → new.

import type { Layout } from '../common/layout.js';
import type { FieldDecl } from '../emulator/regs/types.js';
import type { AccessEvent, TraceEvent } from './event.js';
import { LayoutIndex, layoutIndex, type BlockResolver, type RegisterHit } from './layout-index.js';

export interface DecodedField {
  name: string;
  value: bigint;
  /** The field's previous value, when the caller knew the register's previous value. */
  old?: bigint;
  /** The declaration's name for this value, e.g. 'Success'. */
  meaning?: string;
}

export interface DecodedEvent {
  /** Block name ('' when unknown; 'mailbox' / 'step' for higher-level events). */
  block: string;
  /** Register name, "A + B" when an access spans two, "(unknown +0xNN)" when undeclared. */
  register: string;
  fields: DecodedField[];
  /** 'node · block · register · f=v, ...' */
  text: string;
}

/** Previous register value, for old → new: a value for the (first) register, or a lookup per register. */
export type PreviousValue = bigint | ((hit: RegisterHit) => bigint | undefined);

const SEP = ' · ';

export const hex = (v: bigint | number): string => '0x' + v.toString(16);

const isReserved = (f: FieldDecl): boolean => f.access === 'RsvdP' || f.access === 'RsvdZ';

/** The register's value bits an access carries: [knownLo, knownHi) bit range and the value moved into place. */
export function accessInRegister(hit: RegisterHit, offset: number, width: number, value: bigint): { lo: number; hi: number; value: bigint } {
  const shift = (offset - hit.base) * 8;
  const regBits = hit.register.width * 8;
  const lo = Math.max(0, shift);
  const hi = Math.min(regBits, shift + width * 8);
  const placed = shift >= 0 ? value << BigInt(shift) : value >> BigInt(-shift);
  const mask = ((1n << BigInt(hi - lo)) - 1n) << BigInt(lo);
  return { lo, hi, value: placed & mask };
}

const fieldValue = (regValue: bigint, f: FieldDecl): bigint =>
  (regValue >> BigInt(f.bits[1])) & ((1n << BigInt(f.bits[0] - f.bits[1] + 1)) - 1n);

/** Fields of one register that an access fully covers, with their values (reserved fields only when non-zero). */
export function decodeFields(hit: RegisterHit, offset: number, width: number, value: bigint, previous?: bigint): DecodedField[] {
  const { lo, hi, value: regValue } = accessInRegister(hit, offset, width, value);
  const out: DecodedField[] = [];
  for (const f of hit.register.fields) {
    if (f.bits[1] < lo || f.bits[0] >= hi) continue;
    const v = fieldValue(regValue, f);
    if (isReserved(f) && v === 0n) continue;
    const d: DecodedField = { name: f.name, value: v };
    if (previous !== undefined) d.old = fieldValue(previous, f);
    const meaning = f.values?.[Number(v)];
    if (meaning !== undefined) d.meaning = meaning;
    out.push(d);
  }
  return out;
}

export function formatField(f: DecodedField): string {
  const show = (v: bigint): string => (v < 2n ? v.toString() : hex(v));
  const val = f.old !== undefined && f.old !== f.value ? `${show(f.old)}→${show(f.value)}` : show(f.value);
  return `${f.name}=${val}${f.meaning !== undefined ? ` (${f.meaning})` : ''}`;
}

export const formatFields = (fields: readonly DecodedField[]): string => fields.map(formatField).join(', ');

function decodeAccess(ev: AccessEvent, idx: LayoutIndex, previous?: PreviousValue): DecodedEvent {
  const hits = idx.overlapping(ev.node, ev.region, ev.offset, ev.width);
  if (hits.length === 0) {
    const inBlock = idx.blockAt(ev.node, ev.region, ev.offset);
    if (inBlock) {
      // Named with its block, since such an area has no register names of its own (CSV/UI show this column alone).
      const register = `${inBlock.block.name} +${hex(ev.offset - inBlock.placed.base)}`;
      return { block: inBlock.block.name, register, fields: [], text: [ev.node, register].join(SEP) };
    }
    const register = `(unknown +${hex(ev.offset)})`;
    return { block: '', register, fields: [], text: [ev.node, ev.region, register].join(SEP) };
  }
  const fields: DecodedField[] = [];
  hits.forEach((h, i) => {
    const prev = typeof previous === 'function' ? previous(h) : i === 0 ? previous : undefined;
    fields.push(...decodeFields(h, ev.offset, ev.width, ev.value, prev));
  });
  const block = hits[0].block.name;
  const register = hits.map((h) => h.register.name).join(' + ');
  const parts = [ev.node, block, register];
  if (fields.length) parts.push(formatFields(fields));
  return { block, register, fields, text: parts.join(SEP) };
}

/**
 * Decode one event against a layout (or its prebuilt index). `previous` supplies the register's value before
 * a write so fields read "old→new".
 */
export function decodeEvent(
  ev: TraceEvent,
  layout: Layout | LayoutIndex,
  resolve: BlockResolver,
  previous?: PreviousValue,
): DecodedEvent {
  if (ev.kind === 'mailbox') {
    const register = `${ev.name} (${hex(ev.opcode)})`;
    const fields: DecodedField[] = [{ name: 'return', value: BigInt(ev.returnCode), meaning: ev.returnName }];
    return { block: 'mailbox', register, fields, text: [ev.node, 'mailbox', register, ev.returnName].join(SEP) };
  }
  if (ev.kind === 'step') {
    const register = `${ev.sequence}/${ev.name}`;
    return { block: 'step', register, fields: [], text: [ev.sequence, ev.name, `${ev.verdict}: ${ev.reason}`].join(SEP) };
  }
  const idx = layout instanceof LayoutIndex ? layout : layoutIndex(layout, resolve);
  return decodeAccess(ev, idx, previous);
}

/**
 * Decodes a stream in order, remembering each register's last known value (from reads and writes that were
 * served) so every write shows old → new.
 */
export class DecodeContext {
  private readonly idx: LayoutIndex;
  private readonly values = new Map<RegisterHit, bigint>();

  constructor(layout: Layout | LayoutIndex, private readonly resolve: BlockResolver) {
    this.idx = layout instanceof LayoutIndex ? layout : layoutIndex(layout, resolve);
  }

  decode(ev: TraceEvent): DecodedEvent {
    if (ev.kind !== 'access') return decodeEvent(ev, this.idx, this.resolve);
    const d = decodeAccess(ev, this.idx, ev.op === 'W' ? (h) => this.values.get(h) : undefined);
    if (ev.status === 'ok') {
      for (const h of this.idx.overlapping(ev.node, ev.region, ev.offset, ev.width)) {
        const { lo, hi, value } = accessInRegister(h, ev.offset, ev.width, ev.value);
        const keep = ~(((1n << BigInt(hi - lo)) - 1n) << BigInt(lo));
        this.values.set(h, ((this.values.get(h) ?? 0n) & keep) | value);
      }
    }
    return d;
  }
}
