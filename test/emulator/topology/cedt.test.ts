import { describe, expect, it } from 'vitest';
import { buildCedt, decodeCedt, acpiChecksumOk } from '../../../emulator/topology/cedt.js';
import { defaultTopology } from '../../../emulator/topology/default-topology.js';
import { loadTopology } from '../../../emulator/topology/load.js';
import type { Topology } from '../../../emulator/topology/types.js';

const twoHb = (): Topology => {
  const r = loadTopology({
    hostBridges: [7, 9].map((uid, i) => ({ uid, rootPorts: [{ endpoint: { capacity: { volatile: '1GiB' }, serial: i } }] })),
    windows: [
      { base: '0x2000000000', size: '8GiB', targets: [9, 7], granularity: 4096, restrictions: ['type3', 'volatile'], qtg: 1 },
      { size: '1GiB', targets: [7] },
    ],
  });
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.topology;
};

describe('CEDT', () => {
  it('has a zero checksum and the header length of the whole table', () => {
    for (const t of [defaultTopology('single'), defaultTopology('interleave2'), twoHb()]) {
      const b = buildCedt(t);
      expect(acpiChecksumOk(b)).toBe(true);
      expect(new DataView(b.buffer).getUint32(4, true)).toBe(b.length);
    }
  });
  it('records have the spec lengths: CHBS 0x20, CFMWS 0x24 + 4 x ways', () => {
    const t = twoHb();
    const b = buildCedt(t);
    expect(b.length).toBe(36 + 2 * 0x20 + (0x24 + 8) + (0x24 + 4));
    const d = decodeCedt(b);
    expect(d.problems).toEqual([]);
    expect(d.signature).toBe('CEDT');
    expect(d.chbs.map((c) => [c.uid, c.cxlVersion, c.length])).toEqual([
      [7, 1, 0x10000],
      [9, 1, 0x10000],
    ]);
    expect(d.cfmws[0]).toMatchObject({ base: 0x20_0000_0000, size: 8 * 2 ** 30, eniw: 1, ways: 2, hbig: 4, granularity: 4096, restrictions: 0b0110, qtg: 1, targets: [9, 7] });
    expect(d.cfmws[1]).toMatchObject({ base: 0x22_0000_0000, eniw: 0, targets: [7], restrictions: 0b1110 });
  });
  it('a flipped byte breaks the checksum and decode says so', () => {
    const b = buildCedt(twoHb());
    b[40] ^= 1;
    const d = decodeCedt(b);
    expect(d.checksumOk).toBe(false);
    expect(d.problems).toContain('checksum does not sum to zero');
  });
  it('a truncated table is reported, not thrown', () => {
    const b = buildCedt(twoHb()).subarray(0, 50);
    const d = decodeCedt(b);
    expect(d.problems.length).toBeGreaterThan(0);
  });
});

describe('CEDT decode of odd CFMWS lengths (as cxl_acpi_cfmws_verify)', () => {
  /** The twoHb table with the 1-way second CFMWS grown by 4 bytes (ENIW 0 needs 0x28). */
  const grown = (): Uint8Array => {
    const b0 = buildCedt(twoHb());
    const b = new Uint8Array(b0.length + 4);
    b.set(b0);
    const v = new DataView(b.buffer);
    const second = 36 + 2 * 0x20 + 0x24 + 8;
    v.setUint16(second + 2, 0x28 + 4, true);
    v.setUint32(4, b.length, true);
    b[9] = 0;
    b[9] = (0x100 - b.reduce((s, x) => (s + x) & 0xff, 0)) & 0xff;
    return b;
  };
  it('a record longer than 0x24 + 4 x ways keeps its window and notes the extra bytes', () => {
    const d = decodeCedt(grown());
    expect(d.cfmws.map((w) => w.targets)).toEqual([[9, 7], [7]]);
    expect(d.problems).toEqual(['CFMWS at +0x90 has length 44, longer than the 40 ENIW 0 needs (the extra bytes are ignored)']);
  });
  it('a record shorter than its ENIW needs is dropped with a problem', () => {
    const b = buildCedt(twoHb());
    const second = 36 + 2 * 0x20 + 0x24 + 8;
    b[second + 0x18] = 1; // 2 ways in a record sized for 1
    const d = decodeCedt(b);
    expect(d.cfmws.length).toBe(1);
    expect(d.problems).toContain('CFMWS at +0x90 has length 40, expected 44 for ENIW 1');
  });
});
