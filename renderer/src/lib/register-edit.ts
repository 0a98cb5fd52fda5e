// Register explorer arithmetic: field masks, a field's new value spliced into its register, number text in
// hex or decimal, and which access types a user may write (CXL 2.0 8.2.2 / PCIe 7.4 register attributes).

export type Radix = 'hex' | 'dec';

/** Attributes whose bits software writes (RW1C: writing 1 clears; RWO: once). RO, HwInit, Rsvd* are not. */
const WRITABLE = new Set(['RW', 'RWS', 'RWL', 'RWO', 'RW1C', 'RW1CS']);

export function isWritableAccess(access: string): boolean {
  return WRITABLE.has(access.toUpperCase());
}

/** Mask of an inclusive [hi, lo] bit range. */
export function fieldMask(bits: readonly [number, number]): bigint {
  const [hi, lo] = bits;
  return ((1n << BigInt(hi - lo + 1)) - 1n) << BigInt(lo);
}

/** `register` with the field at `bits` replaced by `value` (which must fit the field). */
export function spliceField(register: bigint, bits: readonly [number, number], value: bigint): bigint | null {
  const width = bits[0] - bits[1] + 1;
  if (value < 0n || value >= 1n << BigInt(width)) return null;
  const mask = fieldMask(bits);
  return (register & ~mask) | ((value << BigInt(bits[1])) & mask);
}

/** "0x1f", "1f" only with hex radix, or decimal digits; null when the text is no unsigned integer. */
export function parseNumberText(text: string, radix: Radix = 'dec'): bigint | null {
  const t = text.trim().replace(/_/g, '');
  if (/^0x[0-9a-f]+$/i.test(t)) return BigInt(t);
  if (radix === 'hex' && /^[0-9a-f]+$/i.test(t)) return BigInt('0x' + t);
  if (/^[0-9]+$/.test(t)) return BigInt(t);
  return null;
}

/** A "0x..." value from the API shown in the chosen radix (hex keeps its digit count). */
export function formatRegValue(hexText: string, radix: Radix): string {
  if (radix === 'hex') return hexText;
  try {
    return BigInt(hexText).toString(10);
  } catch {
    return hexText;
  }
}

/** Hex text for a register of `width` bytes, "0x" + width*2 digits. */
export function toWidthHex(value: bigint, width: number): string {
  return '0x' + value.toString(16).padStart(width * 2, '0');
}
