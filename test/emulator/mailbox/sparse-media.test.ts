import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { MEDIA_PAGE_SIZE, SparseMedia } from '../../../emulator/media/sparse-media.js';
import { dpa, GiB, MiB } from '../../../common/units.js';

describe('SparseMedia', () => {
  it('reads zeros from unwritten space and allocates nothing for reads', () => {
    const m = new SparseMedia(256 * MiB);
    const out = new Uint8Array(4096).fill(7);
    m.read(dpa(12345), out);
    expect(out.every((b) => b === 0)).toBe(true);
    expect(m.allocatedBytes).toBe(0);
  });

  it('returns written bytes across a page boundary', () => {
    const m = new SparseMedia(256 * MiB);
    const data = Uint8Array.from({ length: 300 }, (_, i) => (i * 7 + 1) & 0xff);
    const at = MEDIA_PAGE_SIZE - 100;
    m.write(dpa(at), data);
    const out = new Uint8Array(300);
    m.read(dpa(at), out);
    expect(out).toEqual(data);
    expect(m.allocatedBytes).toBe(2 * MEDIA_PAGE_SIZE);
  });

  it('addresses above 4 GiB do not alias low addresses', () => {
    const m = new SparseMedia(8 * GiB);
    m.write(dpa(4 * GiB + 16), Uint8Array.of(0xaa));
    const low = new Uint8Array(1);
    m.read(dpa(16), low);
    expect(low[0]).toBe(0);
    const high = new Uint8Array(1);
    m.read(dpa(4 * GiB + 16), high);
    expect(high[0]).toBe(0xaa);
  });

  it('reads past the end as all-ones and drops writes past the end', () => {
    const m = new SparseMedia(MEDIA_PAGE_SIZE);
    m.write(dpa(MEDIA_PAGE_SIZE - 2), Uint8Array.of(1, 2, 3, 4));
    const out = new Uint8Array(4);
    m.read(dpa(MEDIA_PAGE_SIZE - 2), out);
    expect([...out]).toEqual([1, 2, 0xff, 0xff]);
  });

  it('fill makes every byte, written or not, read the pattern; zeroAll makes them read zero', () => {
    const m = new SparseMedia(4 * MEDIA_PAGE_SIZE);
    m.write(dpa(10), Uint8Array.of(1, 2, 3));
    m.fill(0x5a);
    const out = new Uint8Array(32);
    m.read(dpa(0), out);
    expect(out.every((b) => b === 0x5a)).toBe(true);
    m.write(dpa(3 * MEDIA_PAGE_SIZE + 1), Uint8Array.of(9));
    m.read(dpa(3 * MEDIA_PAGE_SIZE), out);
    expect([...out.subarray(0, 3)]).toEqual([0x5a, 9, 0x5a]);
    m.zeroAll();
    m.read(dpa(3 * MEDIA_PAGE_SIZE), out);
    expect(out.every((b) => b === 0)).toBe(true);
    expect(m.allocatedBytes).toBe(0);
  });

  it('behaves like a flat array for any sequence of writes and reads', () => {
    const size = 3 * MEDIA_PAGE_SIZE + 17;
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(size + 64), fc.uint8Array({ minLength: 0, maxLength: 2000 })), { maxLength: 20 }),
        fc.nat(size),
        fc.nat(5000),
        (writes, readAt, readLen) => {
          const m = new SparseMedia(size);
          const flat = new Uint8Array(size);
          for (const [at, data] of writes) {
            m.write(dpa(at), data);
            const n = Math.max(0, Math.min(data.length, size - at));
            if (n > 0) flat.set(data.subarray(0, n), at);
          }
          const out = new Uint8Array(readLen);
          m.read(dpa(readAt), out);
          const expected = new Uint8Array(readLen).fill(0xff);
          expected.set(flat.subarray(readAt, Math.min(size, readAt + readLen)));
          expect(out).toEqual(expected);
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe('SparseMedia.zeroRange', () => {
  it('zeros exactly the range and frees whole pages instead of allocating', () => {
    const m = new SparseMedia(8 * MEDIA_PAGE_SIZE);
    const ones = new Uint8Array(8 * MEDIA_PAGE_SIZE).fill(1);
    m.write(dpa(0), ones);
    m.zeroRange(dpa(100), 3 * MEDIA_PAGE_SIZE);
    const out = new Uint8Array(8 * MEDIA_PAGE_SIZE);
    m.read(dpa(0), out);
    expect(out[99]).toBe(1);
    expect(out.subarray(100, 100 + 3 * MEDIA_PAGE_SIZE).every((b) => b === 0)).toBe(true);
    expect(out[100 + 3 * MEDIA_PAGE_SIZE]).toBe(1);
    expect(m.allocatedBytes).toBe(6 * MEDIA_PAGE_SIZE);
    const empty = new SparseMedia(1024 * MEDIA_PAGE_SIZE);
    empty.zeroRange(dpa(0), 1024 * MEDIA_PAGE_SIZE);
    expect(empty.allocatedBytes).toBe(0);
  });
});
