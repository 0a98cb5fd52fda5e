// Growable byte writer and bounds-checked reader with LEB128 varints, for the chunk codec.
// Varints of plain numbers use arithmetic (not 32-bit shifts) so offsets and HPAs up to 2^53 survive;
// 64-bit values travel as two 32-bit halves.

const utf8 = new TextEncoder();
const utf8Decoder = new TextDecoder('utf-8', { fatal: true });

export class ByteWriter {
  private buf: Uint8Array;
  private view: DataView;
  length = 0;

  constructor(initial = 4096) {
    this.buf = new Uint8Array(initial);
    this.view = new DataView(this.buf.buffer);
  }

  private ensure(n: number): void {
    if (this.length + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.length + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  byte(b: number): void {
    this.ensure(1);
    this.buf[this.length++] = b;
  }

  /** Unsigned varint of a non-negative integer below 2^53. */
  uvar(n: number): void {
    this.ensure(8);
    while (n >= 0x80) {
      this.buf[this.length++] = (n % 0x80) | 0x80;
      n = Math.floor(n / 0x80);
    }
    this.buf[this.length++] = n;
  }

  /** Zigzag varint of a signed integer with |n| < 2^52. */
  svar(n: number): void {
    this.uvar(n >= 0 ? n * 2 : -n * 2 - 1);
  }

  /** Unsigned varint of a 64-bit value given as two unsigned 32-bit halves. */
  uvar64(lo: number, hi: number): void {
    this.ensure(10);
    lo >>>= 0;
    hi >>>= 0;
    while (hi !== 0 || lo >= 0x80) {
      this.buf[this.length++] = (lo & 0x7f) | 0x80;
      lo = ((lo >>> 7) | ((hi & 0x7f) << 25)) >>> 0;
      hi >>>= 7;
    }
    this.buf[this.length++] = lo;
  }

  f64(x: number): void {
    this.ensure(8);
    this.view.setFloat64(this.length, x, true);
    this.length += 8;
  }

  /** Length-prefixed UTF-8. */
  str(s: string): void {
    const bytes = utf8.encode(s);
    this.uvar(bytes.length);
    this.ensure(bytes.length);
    this.buf.set(bytes, this.length);
    this.length += bytes.length;
  }

  /** A copy of the bytes written so far. */
  finish(): Uint8Array {
    return this.buf.slice(0, this.length);
  }
}

/** Thrown only by the codec's reader on truncated/corrupt input; decodeChunk turns it into a message. */
export class CorruptChunk extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CorruptChunk';
  }
}

export class ByteReader {
  pos = 0;
  private readonly view: DataView;
  /** High half of the last uvar64 (the low half is the return value). */
  hi = 0;

  constructor(private readonly buf: Uint8Array) {
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  get done(): boolean {
    return this.pos >= this.buf.length;
  }

  byte(): number {
    if (this.pos >= this.buf.length) throw new CorruptChunk(`truncated at byte ${this.pos}`);
    return this.buf[this.pos++];
  }

  uvar(): number {
    let n = 0;
    let scale = 1;
    for (;;) {
      const b = this.byte();
      n += (b & 0x7f) * scale;
      if (b < 0x80) return n;
      scale *= 0x80;
      if (scale > 2 ** 56) throw new CorruptChunk(`varint too long at byte ${this.pos}`);
    }
  }

  svar(): number {
    const z = this.uvar();
    return z % 2 === 0 ? z / 2 : -(z + 1) / 2;
  }

  /** Returns the low half; the high half is left in `this.hi`. */
  uvar64(): number {
    let lo = 0;
    let hi = 0;
    let shift = 0;
    for (;;) {
      const b = this.byte();
      const bits = b & 0x7f;
      if (shift < 32) {
        lo = (lo | (bits << shift)) >>> 0;
        if (shift > 25) hi = (hi | (bits >>> (32 - shift))) >>> 0;
      } else {
        hi = (hi | (bits << (shift - 32))) >>> 0;
      }
      if (b < 0x80) break;
      shift += 7;
      if (shift > 63) throw new CorruptChunk(`64-bit varint too long at byte ${this.pos}`);
    }
    this.hi = hi;
    return lo;
  }

  f64(): number {
    if (this.pos + 8 > this.buf.length) throw new CorruptChunk(`truncated float at byte ${this.pos}`);
    const x = this.view.getFloat64(this.pos, true);
    this.pos += 8;
    return x;
  }

  /** Throw the reader's truncation error for position p (for callers that read bytes inline). */
  truncatedAt(p: number): never {
    throw new CorruptChunk(`truncated at byte ${p}`);
  }

  /** Step over a length-prefixed string without decoding it. */
  skipStr(): void {
    const n = this.uvar();
    if (this.pos + n > this.buf.length) throw new CorruptChunk(`truncated string at byte ${this.pos}`);
    this.pos += n;
  }

  str(): string {
    const n = this.uvar();
    if (this.pos + n > this.buf.length) throw new CorruptChunk(`truncated string at byte ${this.pos}`);
    const s = utf8Decoder.decode(this.buf.subarray(this.pos, this.pos + n));
    this.pos += n;
    return s;
  }
}
