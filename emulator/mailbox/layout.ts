// Typed little-endian payload layouts: the data form of cxlmem.h's packed structs. A layout names each field's
// offset and type once; `decode`/`encode` are derived from it, so handlers never do offset arithmetic.

export type FieldKind = 'u8' | 'u16' | 's16' | 'u24' | 'u32' | 'u64' | 'u64n' | 'bytes';

type FieldSpec = readonly [offset: number, kind: FieldKind, bytes?: number];

type FieldValue<K extends FieldKind> = K extends 'u64n' ? bigint : K extends 'bytes' ? Uint8Array : number;

export type LayoutValue<F extends Record<string, FieldSpec>> = { [N in keyof F]: FieldValue<F[N][1]> };

export interface Layout<F extends Record<string, FieldSpec>> {
  /** Fixed size in bytes (the part before any variable tail). */
  readonly size: number;
  readonly fields: F;
  /** Read fields from `buf` at `at` (missing bytes read as zero, so a short buffer never throws). */
  decode(buf: Uint8Array, at?: number): LayoutValue<F>;
  /** Write fields into `buf` at `at` (fields left out stay zero / untouched). */
  encodeInto(buf: Uint8Array, value: Partial<LayoutValue<F>>, at?: number): void;
  /** A fresh `size`-byte buffer holding `value`. */
  encode(value: Partial<LayoutValue<F>>): Uint8Array;
}

const widthOf = (spec: FieldSpec): number => {
  switch (spec[1]) {
    case 'u8':
      return 1;
    case 'u16':
    case 's16':
      return 2;
    case 'u24':
      return 3;
    case 'u32':
      return 4;
    case 'u64':
    case 'u64n':
      return 8;
    case 'bytes':
      return spec[2] ?? 0;
  }
};

/** u64 fields decoded as numbers are DPAs, capacities and lengths, all below 2^53 in every model we build. */
export function defineLayout<F extends Record<string, FieldSpec>>(size: number, fields: F): Layout<F> {
  const entries = Object.entries(fields) as [keyof F & string, FieldSpec][];
  const decode = (buf: Uint8Array, at = 0): LayoutValue<F> => {
    const src = buf.length >= at + size ? buf : padded(buf, at + size);
    const dv = new DataView(src.buffer, src.byteOffset, src.byteLength);
    const out: Record<string, unknown> = {};
    for (const [name, spec] of entries) {
      const o = at + spec[0];
      switch (spec[1]) {
        case 'u8':
          out[name] = dv.getUint8(o);
          break;
        case 'u16':
          out[name] = dv.getUint16(o, true);
          break;
        case 's16':
          out[name] = dv.getInt16(o, true);
          break;
        case 'u24':
          out[name] = dv.getUint16(o, true) | (dv.getUint8(o + 2) << 16);
          break;
        case 'u32':
          out[name] = dv.getUint32(o, true);
          break;
        case 'u64':
          out[name] = dv.getUint32(o, true) + dv.getUint32(o + 4, true) * 2 ** 32;
          break;
        case 'u64n':
          out[name] = dv.getBigUint64(o, true);
          break;
        case 'bytes':
          out[name] = src.slice(o, o + widthOf(spec));
          break;
      }
    }
    return out as LayoutValue<F>;
  };
  const encodeInto = (buf: Uint8Array, value: Partial<LayoutValue<F>>, at = 0): void => {
    const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    for (const [name, spec] of entries) {
      const v = value[name];
      if (v === undefined) continue;
      const o = at + spec[0];
      switch (spec[1]) {
        case 'u8':
          dv.setUint8(o, Number(v) & 0xff);
          break;
        case 'u16':
        case 's16':
          dv.setUint16(o, Number(v) & 0xffff, true);
          break;
        case 'u24':
          dv.setUint16(o, Number(v) & 0xffff, true);
          dv.setUint8(o + 2, (Number(v) >>> 16) & 0xff);
          break;
        case 'u32':
          dv.setUint32(o, Number(v) >>> 0, true);
          break;
        case 'u64': {
          const n = Math.max(0, Math.floor(Number(v)));
          dv.setUint32(o, n % 2 ** 32, true);
          dv.setUint32(o + 4, Math.floor(n / 2 ** 32) >>> 0, true);
          break;
        }
        case 'u64n':
          dv.setBigUint64(o, BigInt.asUintN(64, v as bigint), true);
          break;
        case 'bytes': {
          const bytes = v as Uint8Array;
          buf.set(bytes.subarray(0, widthOf(spec)), o);
          break;
        }
      }
    }
  };
  return {
    size,
    fields,
    decode,
    encodeInto,
    encode(value) {
      const buf = new Uint8Array(size);
      encodeInto(buf, value);
      return buf;
    },
  };
}

function padded(buf: Uint8Array, len: number): Uint8Array {
  const out = new Uint8Array(len);
  out.set(buf.subarray(0, len));
  return out;
}

/** Fixed-width ASCII, NUL padded (FW revision strings). */
export function asciiField(text: string, bytes: number): Uint8Array {
  const out = new Uint8Array(bytes);
  for (let i = 0; i < Math.min(text.length, bytes); i++) out[i] = text.charCodeAt(i) & 0x7f;
  return out;
}

export function asciiText(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) {
    if (b === 0) break;
    s += String.fromCharCode(b);
  }
  return s;
}

/** Concatenate a fixed header with repeated records. */
export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  const total = parts.reduce((n, p) => n + p.length, 0);
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
