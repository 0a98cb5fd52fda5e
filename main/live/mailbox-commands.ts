// The mailbox console's command table (mailbox.commands, `cxl-bench mailbox`): the emulator's Type 3 command
// set as data (emulator/mailbox/command-table.ts, CXL 2.0 8.2.9), and opcode text -> opcode — hex ("0x4000",
// "4000", "4000h") or a command name, whole or a unique prefix, ignoring case, spaces and dashes ("identify",
// "get-poison-list", "getPoisonList").

import { TYPE3_COMMANDS, type CommandDef, type InputRule } from '../../emulator/mailbox/command-table.js';
import { EFFECT } from '../../emulator/mailbox/effects.js';
import { OP } from '../../emulator/mailbox/opcodes.js';
import type { MailboxCommandInfo } from '../api/contract-live.js';
import { mailboxForm } from './mailbox-forms.js';

const INPUT_TEXT: { [K in InputRule['kind']]: (r: Extract<InputRule, { kind: K }>) => string } = {
  fixed: (r) => (r.bytes === 0 ? 'none' : `${r.bytes} bytes`),
  min: (r) => `>= ${r.bytes} bytes`,
  range: (r) => `${r.bytes}-${r.max} bytes`,
  variable: () => 'variable',
};

export const inputRuleText = (r: InputRule): string => (INPUT_TEXT[r.kind] as (x: InputRule) => string)(r);

export const opcodeHex = (op: number): string => '0x' + op.toString(16).padStart(4, '0');

export const commandInfo = (c: CommandDef): MailboxCommandInfo => ({
  opcode: c.opcode,
  opcodeHex: opcodeHex(c.opcode),
  name: c.name,
  input: inputRuleText(c.input),
  effects: c.effects,
  background: (c.effects & EFFECT.backgroundOperation) !== 0,
  ...(mailboxForm(c.opcode) ? { form: mailboxForm(c.opcode)! } : {}),
});

export const mailboxCommandInfos = (table: readonly CommandDef[] = TYPE3_COMMANDS): MailboxCommandInfo[] => table.map(commandInfo);

const norm = (s: string): string => s.toLowerCase().replace(/[^a-z0-9]/g, '');

/** Every name an opcode answers to: the table's name and the OP key (normalised). */
const NAMES: readonly [string, number][] = [
  ...TYPE3_COMMANDS.map((c): [string, number] => [norm(c.name), c.opcode]),
  ...Object.entries(OP).map(([k, v]): [string, number] => [norm(k), v]),
];

export type OpcodeParse = { ok: true; opcode: number } | { ok: false; message: string };

export function parseOpcodeText(text: string | number): OpcodeParse {
  if (typeof text === 'number')
    return Number.isInteger(text) && text >= 0 && text <= 0xffff ? { ok: true, opcode: text } : { ok: false, message: 'must be an opcode 0x0000-0xffff' };
  const t = text.trim();
  const hex = /^(?:0x)?([0-9a-f]{1,4})h?$/i.exec(t);
  // A bare word like "add" is hex too; names win only when they are not hex digits.
  if (hex && (/^0x/i.test(t) || /^[0-9]/.test(t))) return { ok: true, opcode: parseInt(hex[1]!, 16) };
  const n = norm(t);
  if (!n) return { ok: false, message: 'must be an opcode (0x4000) or a command name (identify)' };
  const exact = NAMES.find(([k]) => k === n);
  if (exact) return { ok: true, opcode: exact[1] };
  const hits = [...new Set(NAMES.filter(([k]) => k.startsWith(n)).map(([, v]) => v))];
  if (hits.length === 1) return { ok: true, opcode: hits[0]! };
  if (hits.length > 1) {
    const names = hits.map((op) => TYPE3_COMMANDS.find((c) => c.opcode === op)?.name ?? opcodeHex(op));
    return { ok: false, message: `"${t}" is ambiguous: ${names.join(', ')}` };
  }
  if (hex) return { ok: true, opcode: parseInt(hex[1]!, 16) };
  return { ok: false, message: `unknown command "${t}" (see mailbox.commands)` };
}
