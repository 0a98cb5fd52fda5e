import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../common/clock.js';
import type { FunctionModel } from '../../../common/function-model.js';
import { defaultType3Config, type Type3Config } from '../../../emulator/type3/config.js';
import { createType3 } from '../../../emulator/type3/type3-device.js';
import { unsupportedBackend } from '../../../emulator/type3/unsupported-backend.js';
import { walkExtCaps } from './helpers.js';

const make = (over: Partial<Type3Config> = {}) => createType3({ ...defaultType3Config(), ...over }, new VirtualClock(), unsupportedBackend());

/** One DOE exchange as a host driver does it (PCIe 6.0 6.30.2): write request, Go, read until not ready. */
function exchange(fn: FunctionModel, doe: number, req: number[]): number[] {
  expect(fn.cfgRead(doe + 0xc, 4) & 1).toBe(0);
  for (const dw of req) fn.cfgWrite(doe + 0x10, 4, dw);
  fn.cfgWrite(doe + 0x8, 4, 0x8000_0000);
  const out: number[] = [];
  for (let guard = 0; guard < 4096 && fn.cfgRead(doe + 0xc, 4) & 0x8000_0000; guard++) {
    out.push(fn.cfgRead(doe + 0x14, 4));
    fn.cfgWrite(doe + 0x14, 4, 0);
  }
  return out;
}

const doeOf = (fn: FunctionModel) => walkExtCaps(fn).find(([, id]) => id === 0x2e)![0];

function readCdat(fn: FunctionModel): Uint8Array[] {
  const doe = doeOf(fn);
  const entries: Uint8Array[] = [];
  let handle = 0;
  for (let guard = 0; guard < 64 && handle !== 0xffff; guard++) {
    const resp = exchange(fn, doe, [0x0002_1e98, 3, handle << 16]);
    expect(resp[0]).toBe(0x0002_1e98);
    expect(resp[1]).toBe(resp.length);
    handle = resp[2] >>> 16;
    const bytes = new Uint8Array(Uint32Array.from(resp.slice(3)).buffer);
    const len = entries.length === 0 ? 16 : bytes[2] | (bytes[3] << 8);
    entries.push(bytes.slice(0, len));
  }
  return entries;
}

describe('DOE and CDAT', () => {
  it('discovery lists DOE discovery and CXL table access (vendor 0x1E98 type 2)', () => {
    const { fn } = make();
    const doe = doeOf(fn);
    const protos: number[] = [];
    let idx = 0;
    do {
      const r = exchange(fn, doe, [0x0000_0001, 3, idx]);
      expect(r).toHaveLength(3);
      protos.push(r[2] & 0xffffff);
      idx = r[2] >>> 24;
    } while (idx !== 0);
    expect(protos).toEqual([0x00_0001, 0x02_1e98]);
  });

  it('CDAT read through table access: header length and checksum, DSMAS + 4 DSLBIS + DSEMTS per range', () => {
    const { fn } = make({ volatileBytes: 2 ** 28, persistentBytes: 2 ** 29 });
    const entries = readCdat(fn);
    const header = entries[0];
    const total = entries.reduce((s, e) => s + e.length, 0);
    expect(new DataView(header.buffer).getUint32(0, true)).toBe(total);
    const sum = entries.reduce((s, e) => e.reduce((a, b) => (a + b) & 0xff, s), 0);
    expect(sum).toBe(0);
    expect(entries.slice(1).map((e) => e[0])).toEqual([0, 1, 1, 1, 1, 4, 0, 1, 1, 1, 1, 4]);
    const dsmas2 = new DataView(entries[7].buffer);
    expect(dsmas2.getUint8(5) & 4).toBe(4); // non-volatile
    expect(dsmas2.getUint32(8, true)).toBe(2 ** 28); // persistent after volatile
    expect(dsmas2.getUint32(0x10, true)).toBe(2 ** 29);
  });

  it('a volatile-only device has one range; a changed config changes the checksum byte but still sums to 0', () => {
    const entries = readCdat(make({ persistentBytes: 0, volatileBytes: 2 ** 30 }).fn);
    expect(entries).toHaveLength(7);
    expect(entries.reduce((s, e) => e.reduce((a, b) => (a + b) & 0xff, s), 0)).toBe(0);
  });

  it('abort clears data object ready; an unknown protocol gets no response', () => {
    const { fn } = make();
    const doe = doeOf(fn);
    for (const dw of [0x0002_1e98, 3, 0]) fn.cfgWrite(doe + 0x10, 4, dw);
    fn.cfgWrite(doe + 0x8, 4, 0x8000_0000);
    expect(fn.cfgRead(doe + 0xc, 4) >>> 31).toBe(1);
    fn.cfgWrite(doe + 0x8, 4, 1);
    expect(fn.cfgRead(doe + 0xc, 4)).toBe(0);
    expect(exchange(fn, doe, [0x0005_1234, 2])).toEqual([]);
  });
});
