import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  decodeUbRequest,
  decodeUbWords,
  encodeUbRead,
  encodeUbWords,
  encodeUbWrite,
  ubMaxBurstForBaud,
  UartboneCodecError,
} from '../../hil/uartbone/uartbone-codec.js';
import {
  decodeEbPacket,
  ebPacket,
  ebRecord,
  ebTcpFrameLength,
  encodeEbPacket,
  encodeEbProbe,
  EtherboneCodecError,
} from '../../hil/etherbone/etherbone-codec.js';
import { splitBurst } from '../../hil/link.js';

const word = fc.integer({ min: 0, max: 0xffff_ffff });
const wordAddr = fc.integer({ min: 0, max: 0x3fff_ffff }).map((w) => w * 4);

describe('UARTBone codec', () => {
  it('a read is cmd 0x02, length, word address big-endian', () => {
    expect(Array.from(encodeUbRead(0xf000_0804, 3))).toEqual([0x02, 0x03, 0x3c, 0x00, 0x02, 0x01]);
    expect(encodeUbRead(0x10, 1, true)[0]).toBe(0x04);
  });

  it('a write carries big-endian data after the header', () => {
    expect(Array.from(encodeUbWrite(0x1000, [0x11223344]))).toEqual([0x01, 0x01, 0, 0, 0x04, 0, 0x11, 0x22, 0x33, 0x44]);
    expect(encodeUbWrite(0x1000, [1], true)[0]).toBe(0x03);
  });

  it('write requests round-trip through the decoder', () => {
    fc.assert(
      fc.property(wordAddr, fc.array(word, { minLength: 1, maxLength: 255 }), (addr, words) => {
        const d = decodeUbRequest(encodeUbWrite(addr, words));
        expect(d!.req.addr).toBe(addr);
        expect(Array.from(d!.req.words!)).toEqual(words);
      }),
    );
  });

  it('reply words round-trip', () => {
    fc.assert(
      fc.property(fc.array(word, { maxLength: 300 }), (ws) => {
        expect(Array.from(decodeUbWords(encodeUbWords(ws)))).toEqual(ws);
      }),
    );
  });

  it('rejects bursts outside 1..255 and unaligned addresses', () => {
    expect(() => encodeUbRead(0, 0)).toThrow(UartboneCodecError);
    expect(() => encodeUbRead(0, 256)).toThrow(UartboneCodecError);
    expect(() => encodeUbRead(2, 1)).toThrow(/aligned/);
  });

  it('burst length fits the 100 ms gateware timer: 255 at 115200, less at 9600', () => {
    expect(ubMaxBurstForBaud(115_200)).toBe(255);
    const n = ubMaxBurstForBaud(9600);
    expect(((6 + 4 * n) * 10) / 9600).toBeLessThan(0.1);
    expect(((6 + 4 * (n + 1)) * 10) / 9600).toBeGreaterThan(0.09);
  });

  it('splitBurst covers every word once, in chunks of at most max', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2000 }), fc.integer({ min: 1, max: 255 }), (n, max) => {
        const parts = splitBurst(0x100, n, max);
        expect(parts.reduce((a, [, c]) => a + c, 0)).toBe(n);
        parts.forEach(([a, c, i]) => {
          expect(c).toBeLessThanOrEqual(max);
          expect(a).toBe(0x100 + 4 * i);
        });
      }),
    );
  });
});

describe('Etherbone codec', () => {
  it('header bytes: magic 4E 6F, version 1 in the high nibble, sizes 0x44, 4 padding bytes', () => {
    const b = encodeEbPacket(ebPacket([ebRecord({ writeBase: 0x1000, writes: [0xdeadbeef] })]));
    expect(Array.from(b.subarray(0, 8))).toEqual([0x4e, 0x6f, 0x10, 0x44, 0, 0, 0, 0]);
    expect(Array.from(b.subarray(8, 12))).toEqual([0x00, 0x0f, 0x01, 0x00]);
    expect(Array.from(b.subarray(12))).toEqual([0, 0, 0x10, 0, 0xde, 0xad, 0xbe, 0xef]);
    expect(Array.from(encodeEbProbe())).toEqual([0x4e, 0x6f, 0x11, 0x44, 0, 0, 0, 0]);
  });

  it('packets round-trip (flags, records with writes and reads)', () => {
    const rec = fc.record({
      flags: fc.integer({ min: 0, max: 0x7f }),
      byteEnable: fc.constant(0x0f),
      writeBase: wordAddr,
      writes: fc.array(word, { maxLength: 255 }),
      returnBase: wordAddr,
      reads: fc.array(wordAddr, { maxLength: 255 }),
    });
    fc.assert(
      fc.property(fc.array(rec, { maxLength: 4 }), fc.boolean(), fc.boolean(), (records, probe, nr) => {
        const norm = records.map((r) => ({ ...r, writeBase: r.writes.length ? r.writeBase : 0, returnBase: r.reads.length ? r.returnBase : 0 }));
        const p = ebPacket(norm, { probe, noReads: nr });
        expect(decodeEbPacket(encodeEbPacket(p))).toEqual(p);
      }),
    );
  });

  it('TCP frame length follows litex_server: 12 header bytes + 4 x (wcount + rcount + 1)', () => {
    const b = encodeEbPacket(ebPacket([ebRecord({ returnBase: 0, reads: [0, 4, 8] })]));
    expect(ebTcpFrameLength(b, 11)).toBe(0);
    expect(ebTcpFrameLength(b, b.length - 1)).toBe(0);
    expect(ebTcpFrameLength(b, b.length)).toBe(b.length);
    expect(b.length).toBe(12 + 4 * 4);
  });

  it('rejects bad magic, wrong version, truncated records with the reason', () => {
    const good = encodeEbPacket(ebPacket([ebRecord({ writeBase: 0, writes: [1, 2] })]));
    const bad = good.slice();
    bad[0] = 0x12;
    expect(() => decodeEbPacket(bad)).toThrow(/magic/);
    const v2 = good.slice();
    v2[2] = 0x20;
    expect(() => decodeEbPacket(v2)).toThrow(/version/);
    expect(() => decodeEbPacket(good.subarray(0, good.length - 2))).toThrow(EtherboneCodecError);
  });
});
