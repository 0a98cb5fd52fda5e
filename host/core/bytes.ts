// Little-endian field access on payload bytes and number formatting for evidence strings. Payloads are plain
// Uint8Array (no Buffer: host/ runs in browsers and workers). Reads past the end return zero, so a short
// device answer never throws; the codec that needed the bytes reports the short length instead.

export const u8 = (b: Uint8Array, at: number): number => b[at] ?? 0;
export const u16 = (b: Uint8Array, at: number): number => u8(b, at) | (u8(b, at + 1) << 8);
export const u24 = (b: Uint8Array, at: number): number => u16(b, at) | (u8(b, at + 2) << 16);
export const u32 = (b: Uint8Array, at: number): number => (u16(b, at) | (u16(b, at + 2) << 16)) >>> 0;
export const u64n = (b: Uint8Array, at: number): bigint => BigInt(u32(b, at)) | (BigInt(u32(b, at + 4)) << 32n);
/** A 64-bit field as a number (exact below 2^53, which covers every capacity and address we model). */
export const u64 = (b: Uint8Array, at: number): number => u32(b, at) + u32(b, at + 4) * 2 ** 32;

export function put16(b: Uint8Array, at: number, v: number): void {
  b[at] = v & 0xff;
  b[at + 1] = (v >>> 8) & 0xff;
}
export function put32(b: Uint8Array, at: number, v: number): void {
  put16(b, at, v & 0xffff);
  put16(b, at + 2, (v >>> 16) & 0xffff);
}
export function put64(b: Uint8Array, at: number, v: number | bigint): void {
  const n = BigInt(v);
  put32(b, at, Number(n & 0xffff_ffffn));
  put32(b, at + 4, Number((n >> 32n) & 0xffff_ffffn));
}

export const toHex = (b: Uint8Array): string => [...b].map((x) => x.toString(16).padStart(2, '0')).join('');

/** Parse "0a0b0c", "0a 0b 0c" or "0x0a0b" into bytes; null when the text is not whole bytes of hex. */
export function fromHex(text: string): Uint8Array | null {
  const clean = text.replace(/^0x/i, '').replace(/[\s_:,-]/g, '');
  if (clean.length % 2 !== 0 || /[^0-9a-f]/i.test(clean)) return null;
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(clean.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** "0x0000_0003" style, as the kernel's %#x prints but padded for register evidence. */
export function hex(v: number | bigint, digits = 8): string {
  const n = typeof v === 'bigint' ? v : BigInt(v < 0 ? v >>> 0 : Math.trunc(v));
  const s = n.toString(16).padStart(digits, '0');
  return `0x${s.replace(/\B(?=([0-9a-f]{4})+(?![0-9a-f]))/g, '_')}`;
}

/** Extract bits [hi:lo] of a 32-bit value. */
export const bits = (v: number, hi: number, lo: number): number => Number((BigInt(v >>> 0) >> BigInt(lo)) & ((1n << BigInt(hi - lo + 1)) - 1n));
/** Extract bits [hi:lo] of a 64-bit value. */
export const bits64 = (v: bigint, hi: number, lo: number): number => Number((v >> BigInt(lo)) & ((1n << BigInt(hi - lo + 1)) - 1n));

export function uuidText(b: Uint8Array, at = 0): string {
  const h = toHex(b.subarray(at, at + 16)).padEnd(32, '0');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}
export function uuidBytes(text: string): Uint8Array {
  return fromHex(text.replace(/-/g, '')) ?? new Uint8Array(16);
}
