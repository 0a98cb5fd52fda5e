import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../common/clock.js';
import { hpa } from '../../../common/units.js';
import { buildPlatform, defaultTopology, decodeCedt, type EmulatedPlatform } from '../../../emulator/topology/index.js';
import { CTRL, DEC } from '../../../emulator/hdm/index.js';
import { fillPattern } from './region-helper.js';
import { CXL_VENDOR_ID, DVSEC, pciFindDvsec } from '../../../host/core/pci.js';

const MiB = 2 ** 20;

/** Find the HDM Decoder Capability through the CXL capability array at component block +0x1000, as Linux does. */
const findHdm = async (p: EmulatedPlatform, component: number): Promise<number> => {
  const cm = component + 0x1000;
  const head = await p.mmioRead(cm, 4);
  expect(head & 0xffff).toBe(1);
  for (let i = 1; i <= head >>> 24; i++) {
    const h = await p.mmioRead(cm + 4 * i, 4);
    if ((h & 0xffff) === 5) return cm + (h >>> 20);
  }
  throw new Error('no HDM capability');
};

const program = async (p: EmulatedPlatform, hdm: number, s: { base: number; size: number; iw: number; ig: number; targets?: number }) => {
  const d = hdm + 0x10;
  await p.mmioWrite(d + DEC.baseLo, 4, s.base % 2 ** 32);
  await p.mmioWrite(d + DEC.baseHi, 4, Math.floor(s.base / 2 ** 32));
  await p.mmioWrite(d + DEC.sizeLo, 4, s.size % 2 ** 32);
  await p.mmioWrite(d + DEC.sizeHi, 4, Math.floor(s.size / 2 ** 32));
  if (s.targets !== undefined) await p.mmioWrite(d + DEC.listLo, 4, s.targets);
  else await p.mmioWrite(hdm + 4, 4, 2); // endpoint: HDM Decoder Enable
  const ctrl = s.ig | (s.iw << 4) | CTRL.targetTypeHostOnly;
  await p.mmioWrite(d + DEC.control, 4, ctrl | CTRL.commit);
  // Linux polls Control for Committed / Error Not Committed (core/hdm.c, ~10 ms).
  for (let i = 0; i < 10; i++) {
    const c = await p.mmioRead(d + DEC.control, 4);
    if (c & (CTRL.committed | CTRL.errorNotCommitted)) return c;
  }
  return 0;
};

describe('a region programmed the way Linux does, over MMIO', () => {
  it('interleave2: CHBCR and endpoint BAR0 decoders committed with polling; data interleaves', async () => {
    const p = buildPlatform(defaultTopology('interleave2'), { clock: new VirtualClock(), commitPolls: 2 });
    const r = p.enumerateLikeFirmware();
    const base = decodeCedt(p.cedt()).cfmws[0].base;
    const eps = ['hb0.rp0.ep0', 'hb0.rp1.ep0'];
    for (const ep of eps) {
      const bar0 = r.bars.find((b) => b.node === ep && b.bar === 0)!.base;
      // cxl_hdm_decode_init: Mem_Enable in the CXL DVSEC's Control (CXL 2.0 8.1.3.2) before HDM decode counts.
      const t = p.targets().get(ep)!;
      const dv = (await pciFindDvsec(t, CXL_VENDOR_ID, DVSEC.cxlDevice))!;
      await t.cfgWrite(dv + 0x0c, 2, (await t.cfgRead(dv + 0x0c, 2)) | 4);
      const c = await program(p, await findHdm(p, bar0), { base, size: 1024 * MiB, iw: 1, ig: 0 });
      expect(c & CTRL.committed).toBe(CTRL.committed);
    }
    const chbcr = decodeCedt(p.cedt()).chbs[0].base;
    const c = await program(p, await findHdm(p, chbcr), { base, size: 1024 * MiB, iw: 1, ig: 0, targets: 0x0100 });
    expect(c & CTRL.committed).toBe(CTRL.committed);
    const data = fillPattern(base, 8192);
    expect((await p.memWrite(hpa(base), data)).status).toBe('ok');
    const dev0 = new Uint8Array(256);
    p.node('hb0.rp1.ep0')!.type3!.backend.media.read(0 as never, dev0);
    expect(dev0).toEqual(data.subarray(256, 512)); // second granule lives at DPA 0 of the second device
  });
});

describe('CXL.mem needs Mem_Enable (CXL 2.0 8.1.3.2)', () => {
  it('committed decoders do not decode while Mem_Enable is clear; setting it makes the same HPA route, clearing it stops it again', async () => {
    const p = buildPlatform(defaultTopology('single'), { clock: new VirtualClock() });
    const r = p.enumerateLikeFirmware();
    const base = decodeCedt(p.cedt()).cfmws[0].base;
    const ep = 'hb0.rp0.ep0';
    const bar0 = r.bars.find((b) => b.node === ep && b.bar === 0)!.base;
    expect((await program(p, await findHdm(p, bar0), { base, size: 256 * MiB, iw: 0, ig: 0 })) & CTRL.committed).toBe(CTRL.committed);
    const off = await p.memRead(hpa(base), new Uint8Array(8));
    expect(off.status).toBe('unroutable');
    expect(off.detail).toContain('Mem_Enable is clear');
    const t = p.targets().get(ep)!;
    const dv = (await pciFindDvsec(t, CXL_VENDOR_ID, DVSEC.cxlDevice))!;
    const ctl = await t.cfgRead(dv + 0x0c, 2);
    await t.cfgWrite(dv + 0x0c, 2, ctl | 4);
    expect((await p.memWrite(hpa(base), new Uint8Array(8).fill(0x5a))).status).toBe('ok');
    await t.cfgWrite(dv + 0x0c, 2, ctl & ~4);
    expect((await p.memRead(hpa(base), new Uint8Array(8))).status).toBe('unroutable');
  });
});

describe('DVSEC CXL Range decode while HDM Decoder Enable is clear (CXL 2.0 8.2.5.12.2, 8.1.3.8)', () => {
  it('firmware-programmed Range 1/2 bases route HPAs to DPA 0.. and size1..; enabling HDM decoders takes over', async () => {
    const p = buildPlatform(defaultTopology('single'), { clock: new VirtualClock() });
    const r = p.enumerateLikeFirmware();
    const base = decodeCedt(p.cedt()).cfmws[0].base;
    const ep = 'hb0.rp0.ep0';
    const t = p.targets().get(ep)!;
    const dv = (await pciFindDvsec(t, CXL_VENDOR_ID, DVSEC.cxlDevice))!;
    const size1 = (await t.cfgRead(dv + 0x18, 4)) * 2 ** 32 + ((await t.cfgRead(dv + 0x1c, 4)) & 0xf000_0000);
    expect(size1).toBe(256 * MiB); // single: 256 MiB volatile in Range 1, 256 MiB persistent in Range 2
    await t.cfgWrite(dv + 0x0c, 2, (await t.cfgRead(dv + 0x0c, 2)) | 4); // Mem_Enable
    // Range bases as firmware would set them: Range 1 at the window base, Range 2 right after it.
    await t.cfgWrite(dv + 0x20, 4, Math.floor(base / 2 ** 32));
    await t.cfgWrite(dv + 0x24, 4, base % 2 ** 32);
    const base2 = base + size1;
    await t.cfgWrite(dv + 0x30, 4, Math.floor(base2 / 2 ** 32));
    await t.cfgWrite(dv + 0x34, 4, base2 % 2 ** 32);
    const data = fillPattern(base + 0x1000, 512);
    expect((await p.memWrite(hpa(base + 0x1000), data)).status).toBe('ok');
    const w2 = await p.memWrite(hpa(base2 + 0x2000), data);
    expect(w2.detail).toContain('dvsec-range2');
    const media = p.node(ep)!.type3!.backend.media;
    const got = new Uint8Array(512);
    media.read(0x1000 as never, got);
    expect(got).toEqual(data);
    media.read((size1 + 0x2000) as never, got);
    expect(got).toEqual(data);
    // Moving Range 1 drops the cached route: the old HPA no longer decodes, the new one does.
    await t.cfgWrite(dv + 0x24, 4, (base + 1024 * MiB) % 2 ** 32);
    expect((await p.memRead(hpa(base + 0x1000), new Uint8Array(8))).status).toBe('unroutable');
    const moved = new Uint8Array(512);
    expect((await p.memRead(hpa(base + 1024 * MiB + 0x1000), moved)).status).toBe('ok');
    expect(moved).toEqual(data);
    await t.cfgWrite(dv + 0x24, 4, base % 2 ** 32);
    // HDM Decoder Enable with no committed decoder: the ranges no longer decode.
    const bar0 = r.bars.find((b) => b.node === ep && b.bar === 0)!.base;
    const hdm = await findHdm(p, bar0);
    await p.mmioWrite(hdm + 4, 4, 2);
    const after = await p.memRead(hpa(base + 0x1000), new Uint8Array(8));
    expect(after.status).toBe('unroutable');
    expect(after.detail).toContain('no committed HDM decoder');
  });
});
