// Command Effects Log (CXL 2.0 8.2.9.4.2.1), generated from the command table: one 4-byte entry per implemented
// opcode, ascending.

import type { CommandDef } from './command-table.js';
import { CelEntry } from './payloads.js';

export function buildCel(table: readonly CommandDef[]): Uint8Array {
  const sorted = [...table].sort((a, b) => a.opcode - b.opcode);
  const out = new Uint8Array(sorted.length * CelEntry.size);
  sorted.forEach((c, i) => CelEntry.encodeInto(out, { opcode: c.opcode, effects: c.effects }, i * CelEntry.size));
  return out;
}

export interface CelRow {
  opcode: number;
  effects: number;
}

export function parseCel(bytes: Uint8Array): CelRow[] {
  const rows: CelRow[] = [];
  for (let at = 0; at + CelEntry.size <= bytes.length; at += CelEntry.size) rows.push(CelEntry.decode(bytes, at));
  return rows;
}
