// A mailbox command's input form as values <-> payload bytes (issue 15, finding 16): each field little-endian at
// its declared offset (main/live/mailbox-forms.ts); numbers typed as decimal or 0x-hex, enums picked by name,
// byte fields as hex; every field checked against its size, alignment and named values before anything is sent.
import type { MailboxForm, MailboxFormField } from '../../../main/api/contract.js';

export type FormValues = Record<string, string>;

export interface FormResult {
  ok: boolean;
  bytes: Uint8Array;
  /** Field name -> what is wrong with it. */
  errors: Record<string, string>;
}

function parseNumber(text: string): bigint | null {
  const t = text.trim().replace(/_/g, '');
  if (/^0x[0-9a-f]+$/i.test(t)) return BigInt(t);
  if (/^\d+$/.test(t)) return BigInt(t);
  return null;
}

function fieldBytes(f: MailboxFormField, text: string): Uint8Array | string {
  if (f.kind === 'bytes') {
    const hex = text.replace(/[\s:_-]/g, '').replace(/^0x/i, '');
    if (hex === '') return new Uint8Array(f.bytes);
    if (!/^[0-9a-f]*$/i.test(hex) || hex.length % 2) return 'hex bytes (an even number of hex digits)';
    if (hex.length / 2 > f.bytes) return `at most ${f.bytes} bytes`;
    const out = new Uint8Array(f.bytes);
    for (let i = 0; i < hex.length / 2; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
    return out;
  }
  const v = text.trim() === '' ? 0n : parseNumber(text);
  if (v === null) return 'a number (decimal or 0x hex)';
  const signed = f.kind === 's16';
  const bits = BigInt(8 * f.bytes);
  const max = signed ? (1n << (bits - 1n)) - 1n : (1n << bits) - 1n;
  if (v > max) return `at most ${max} (${f.bytes} byte${f.bytes === 1 ? '' : 's'})`;
  if (f.align && v % BigInt(f.align) !== 0n) return `a multiple of ${f.align}`;
  if (f.values && Object.keys(f.values).length && !(Number(v) in f.values)) return `one of ${Object.entries(f.values).map(([k, n]) => `${n} (${k})`).join(', ')}`;
  const out = new Uint8Array(f.bytes);
  for (let i = 0; i < f.bytes; i++) out[i] = Number((v >> BigInt(8 * i)) & 0xffn);
  return out;
}

/** Encode the form's values; fields left empty are zero. */
export function encodeForm(form: MailboxForm, values: FormValues): FormResult {
  const bytes = new Uint8Array(form.size);
  const errors: Record<string, string> = {};
  for (const f of form.fields) {
    const b = fieldBytes(f, values[f.name] ?? '');
    if (typeof b === 'string') errors[f.name] = `${f.label}: must be ${b}`;
    else bytes.set(b.subarray(0, Math.max(0, Math.min(b.length, form.size - f.offset))), f.offset);
  }
  return { ok: Object.keys(errors).length === 0, bytes, errors };
}

/** The values a payload holds (for a recalled history entry or hand-edited hex), numbers in the form's style. */
export function decodeForm(form: MailboxForm, bytes: Uint8Array): FormValues {
  const out: FormValues = {};
  for (const f of form.fields) {
    const part = bytes.subarray(f.offset, f.offset + f.bytes);
    if (f.kind === 'bytes') {
      out[f.name] = Array.from(part, (b) => b.toString(16).padStart(2, '0')).join(' ');
      continue;
    }
    let v = 0n;
    for (let i = part.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(part[i]!);
    out[f.name] = f.values ? String(v) : f.bytes >= 4 || f.align ? `0x${v.toString(16)}` : String(v);
  }
  return out;
}
