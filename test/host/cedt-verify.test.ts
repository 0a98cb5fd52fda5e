// host/core/cedt: which CFMWS records cxl_acpi registers (drivers/cxl/acpi.c cxl_acpi_cfmws_verify + HBIG).

import { describe, expect, it } from 'vitest';
import { buildCedt } from '../../emulator/topology/cedt.js';
import { loadTopology } from '../../emulator/topology/load.js';
import { cedtParse } from '../../host/core/cedt.js';

const topo = () => {
  const r = loadTopology({
    hostBridges: [{ uid: 7, rootPorts: [{ port: 0, endpoint: { capacity: { volatile: '256MiB' } } }] }],
    windows: [
      { base: '0x1000000000', size: '1GiB', targets: [7], granularity: 256 },
      { base: '0x2000000000', size: '1GiB', targets: [7], granularity: 4096 },
    ],
  });
  if (!r.ok) throw new Error('bad topology');
  return r.topology;
};
/** CEDT bytes with `edit` applied to CFMWS `w` (offset of the record passed), checksum fixed up. */
const edited = (w: number, edit: (b: Uint8Array, v: DataView, at: number) => void): Uint8Array => {
  const b = buildCedt(topo());
  const v = new DataView(b.buffer);
  let at = 36;
  for (let seen = -1; ; ) {
    if (b[at] === 1 && ++seen === w) break;
    at += v.getUint16(at + 2, true);
  }
  edit(b, v, at);
  b[9] = 0;
  b[9] = (0x100 - b.reduce((s, x) => (s + x) & 0xff, 0)) & 0xff;
  return b;
};

describe('cedtParse marks windows cxl_acpi would not register', () => {
  it('a well-formed table: both windows usable, checksum good', () => {
    const c = cedtParse(buildCedt(topo()));
    expect(c.checksumOk).toBe(true);
    expect(c.cfmws.map((w) => [w.granularity, w.error])).toEqual([
      [256, undefined],
      [4096, undefined],
    ]);
  });
  it('a reserved HBIG is an error, not a granularity of 256 << HBIG', () => {
    const c = cedtParse(edited(0, (_b, v, at) => v.setUint32(at + 0x1c, 9, true)));
    expect(c.cfmws[0].error).toBe('CFMWS Interleave Granularity (HBIG 9) invalid');
    expect(c.cfmws[1].error).toBeUndefined();
  });
  it('base or size off 256 MiB, reserved ENIW, record shorter than 0x24 + 4 x ways', () => {
    expect(cedtParse(edited(0, (_b, v, at) => v.setUint32(at + 8, 0x1000_0000 + 0x10_0000, true))).cfmws[0].error).toBe('CFMWS Base HPA not 256MB aligned');
    expect(cedtParse(edited(0, (_b, v, at) => v.setUint32(at + 0x10, 0x3000_0000 + 0x10_0000, true))).cfmws[0].error).toBe('CFMWS Window Size not 256MB aligned');
    expect(cedtParse(edited(0, (b, _v, at) => void (b[at + 0x18] = 5))).cfmws[0].error).toBe('CFMWS Interleave Ways (5) invalid');
    // ENIW 1 (2 ways) in a record sized for one target
    expect(cedtParse(edited(0, (b, _v, at) => void (b[at + 0x18] = 1))).cfmws[0].error).toBe('CFMWS length 40 less than expected 44');
    expect(cedtParse(edited(0, (b, _v, at) => void (b[at + 0x19] = 2))).cfmws[0].error).toBe('CFMWS Unknown Interleave Arithmetic: 2');
  });
  it('a bad checksum is reported', () => {
    const b = buildCedt(topo());
    b[9] ^= 1;
    expect(cedtParse(b).checksumOk).toBe(false);
  });
});
