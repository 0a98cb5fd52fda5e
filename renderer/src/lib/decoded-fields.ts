// A mailbox command's decoded output (any JSON the host decoder produced) as rows of name = value for the
// console; nested objects and arrays flatten to dotted paths ("records.0.dpa"), numbers also shown in hex.

import { enumText } from './decoded-enums.js';

export interface DecodedRow {
  name: string;
  value: string;
}

export function flattenDecoded(value: unknown, prefix = '', out: DecodedRow[] = [], limit = 500): DecodedRow[] {
  if (out.length >= limit) return out;
  if (value !== null && typeof value === 'object') {
    const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value);
    if (entries.length === 0) out.push({ name: prefix || '(value)', value: Array.isArray(value) ? '[]' : '{}' });
    for (const [k, v] of entries) flattenDecoded(v, prefix ? `${prefix}.${k}` : k, out, limit);
    return out;
  }
  const named = enumText(prefix, value);
  const text = named !== null ? named :
    typeof value === 'number' && Number.isInteger(value) && value >= 16
      ? `${value} (0x${value.toString(16)})`
      : typeof value === 'string'
        ? value
        : String(value);
  out.push({ name: prefix || '(value)', value: text });
  return out;
}
