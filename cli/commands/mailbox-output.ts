// Text form of a mailbox answer for the CLI: a header line, the decoded payload as "key: value" lines (nested
// objects indented, long lists shortened), or a hex dump when the host has no decoder for the opcode.

import type { MailboxSendResult } from '../../main/api/contract.js';

const hex4 = (n: number): string => '0x' + n.toString(16).padStart(4, '0');
const MAX_ITEMS = 32;

function valueLines(key: string, v: unknown, indent: string, out: string[]): void {
  if (Array.isArray(v)) {
    out.push(`${indent}${key}: [${v.length}]`);
    v.slice(0, MAX_ITEMS).forEach((x, i) => valueLines(`[${i}]`, x, indent + '  ', out));
    if (v.length > MAX_ITEMS) out.push(`${indent}  ... ${v.length - MAX_ITEMS} more`);
  } else if (v && typeof v === 'object') {
    out.push(`${indent}${key}:`);
    for (const [k, x] of Object.entries(v)) valueLines(k, x, indent + '  ', out);
  } else out.push(`${indent}${key}: ${typeof v === 'number' && Number.isInteger(v) && v > 9 ? `${v} (0x${v.toString(16)})` : String(v)}`);
}

export function hexDump(hex: string): string[] {
  const out: string[] = [];
  for (let at = 0; at < hex.length; at += 32) {
    const row = hex.slice(at, at + 32).match(/../g) ?? [];
    out.push(`  ${(at / 2).toString(16).padStart(4, '0')}  ${row.join(' ')}`);
  }
  return out;
}

export function mailboxText(node: string, r: MailboxSendResult): string {
  const lines = [
    `${node} ${hex4(r.opcode)} ${r.name} -> ${hex4(r.returnCode)} ${r.returnName} (${r.outputHex.length / 2} bytes out, ${r.durationNs} ns${r.background ? ', background' : ''})`,
  ];
  if (r.error) lines.push(`  error: ${r.error}`);
  if (r.decoded !== undefined) {
    if (r.decoded && typeof r.decoded === 'object' && !Array.isArray(r.decoded)) for (const [k, v] of Object.entries(r.decoded)) valueLines(k, v, '  ', lines);
    else valueLines('decoded', r.decoded, '  ', lines);
  } else if (r.outputHex) lines.push(...hexDump(r.outputHex));
  return lines.join('\n') + '\n';
}
