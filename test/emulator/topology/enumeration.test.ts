import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../common/clock.js';
import { bdf } from '../../../common/units.js';
import { buildPlatform, defaultTopology, MMIO_APERTURE_BASE, decodeCedt } from '../../../emulator/topology/index.js';
import type { TraceSink } from '../../../common/trace-sink.js';

const MiB = 0x10_0000;
const build = (name: 'single' | 'interleave2' | 'switch4', sink: TraceSink | null = null) =>
  buildPlatform(defaultTopology(name), { clock: new VirtualClock(), sink });

const byNode = <T extends { node: string }>(rows: T[]) => new Map(rows.map((r) => [r.node, r]));

describe('enumerateLikeFirmware', () => {
  it('single: the root port gets bus 0x0d; the endpoint BARs sit inside its 1 MiB window', () => {
    const p = build('single');
    const r = p.enumerateLikeFirmware();
    expect(r.buses).toEqual([{ node: 'hb0.rp0', bdf: '0c:00.0', primary: 0x0c, secondary: 0x0d, subordinate: 0x0d }]);
    const w = byNode(r.windows).get('hb0.rp0')!;
    expect(w.limit - w.base + 1).toBe(MiB);
    const bars = r.bars.filter((b) => b.node === 'hb0.rp0.ep0');
    expect(bars.map((b) => [b.bar, b.size])).toEqual([
      [0, 0x10000],
      [2, 0x1000],
      [4, 0x1000],
    ]);
    for (const b of bars) {
      expect(b.base % b.size).toBe(0);
      expect(b.base >= w.base && b.base + b.size - 1 <= w.limit).toBe(true);
    }
    const rpBar = r.bars.find((b) => b.node === 'hb0.rp0')!;
    expect(rpBar.size).toBe(0x10000);
    expect(rpBar.base >= MMIO_APERTURE_BASE).toBe(true);
    expect(rpBar.base >= w.base && rpBar.base <= w.limit).toBe(false); // the port's own BAR is on its primary side
  });

  it('interleave2: two root ports, buses 0x0d and 0x0e, disjoint windows', () => {
    const r = build('interleave2').enumerateLikeFirmware();
    expect(r.buses.map((b) => [b.node, b.secondary, b.subordinate])).toEqual([
      ['hb0.rp0', 0x0d, 0x0d],
      ['hb0.rp1', 0x0e, 0x0e],
    ]);
    const [a, b] = r.windows;
    expect(a.limit < b.base || b.limit < a.base).toBe(true);
  });

  it('switch4: depth-first numbering through the switch; each DSP window holds its endpoint', () => {
    const r = build('switch4').enumerateLikeFirmware();
    const buses = byNode(r.buses);
    expect(buses.get('hb0.rp0')).toMatchObject({ primary: 0x0c, secondary: 0x0d, subordinate: 0x12 });
    expect(buses.get('hb0.rp0.sw0.usp')).toMatchObject({ primary: 0x0d, secondary: 0x0e, subordinate: 0x12 });
    for (const i of [0, 1, 2, 3]) {
      expect(buses.get(`hb0.rp0.sw0.dsp${i}`)).toMatchObject({ bdf: `0e:0${i}.0`, primary: 0x0e, secondary: 0x0f + i, subordinate: 0x0f + i });
    }
    const wins = byNode(r.windows);
    const rp = wins.get('hb0.rp0')!;
    const usp = wins.get('hb0.rp0.sw0.usp')!;
    expect(usp.base >= rp.base && usp.limit <= rp.limit).toBe(true);
    for (const i of [0, 1, 2, 3]) {
      const d = wins.get(`hb0.rp0.sw0.dsp${i}`)!;
      expect(d.base >= usp.base && d.limit <= usp.limit).toBe(true);
      for (const b of r.bars.filter((x) => x.node === `hb0.rp0.sw0.dsp${i}.ep0`)) expect(b.base >= d.base && b.base + b.size - 1 <= d.limit).toBe(true);
      const dspBar = r.bars.find((x) => x.node === `hb0.rp0.sw0.dsp${i}`)!;
      expect(dspBar.base >= usp.base && dspBar.base <= usp.limit).toBe(true); // DSP BARs live on the USP's secondary side
    }
  });
});

describe('ECAM and MMIO routing', () => {
  it('devices below a root port are unreachable until the bridge has bus numbers', async () => {
    const p = build('single');
    expect(await p.cfgRead(bdf(0x0d, 0, 0), 0, 4)).toBe(0xffff_ffff);
    expect(await p.cfgRead(bdf(0x0c, 0, 0), 0, 2)).toBe(0x8086); // the root port itself is on the root bus
    p.enumerateLikeFirmware();
    expect(await p.cfgRead(bdf(0x0d, 0, 0), 0x0b, 1)).toBe(0x05); // memory controller class
    expect(await p.cfgRead(bdf(0x0d, 1, 0), 0, 4)).toBe(0xffff_ffff); // a downstream port decodes device 0 only
    expect(await p.cfgRead(bdf(0x0c, 0, 1), 0, 4)).toBe(0xffff_ffff);
  });

  it('MMIO reaches endpoint BARs through the windows, and the CHBCR at its CHBS base', async () => {
    const p = build('switch4');
    const r = p.enumerateLikeFirmware();
    const bar0 = r.bars.find((b) => b.node === 'hb0.rp0.sw0.dsp2.ep0' && b.bar === 0)!;
    expect((await p.mmioRead(bar0.base + 0x1000, 4)) & 0xffff).toBe(1); // CXL_Capability_Header ID
    const usp = r.bars.find((b) => b.node === 'hb0.rp0.sw0.usp')!;
    const hdrs = await p.mmioRead(usp.base + 0x1000, 4);
    expect(hdrs >>> 24).toBe(3); // RAS, Link, HDM
    const chbs = decodeCedt(p.cedt()).chbs[0];
    expect(chbs.base).toBe(p.chbcrBase('hb0'));
    expect((await p.mmioRead(chbs.base + 0x1000, 4)) & 0xffff).toBe(1);
    expect(await p.mmioRead(0x1234_5678, 4)).toBe(0xffff_ffff);
  });

  it('closing a bridge window (Memory Space Enable off) makes the BARs below unclaimed', async () => {
    const p = build('single');
    const r = p.enumerateLikeFirmware();
    const bar0 = r.bars.find((b) => b.node === 'hb0.rp0.ep0' && b.bar === 0)!;
    expect((await p.mmioRead(bar0.base + 0x1000, 4)) & 0xffff).toBe(1);
    await p.cfgWrite(bdf(0x0c, 0, 0), 0x04, 2, 0);
    expect(await p.mmioRead(bar0.base + 0x1000, 4)).toBe(0xffff_ffff);
  });

  it('every access is traced with the node path; unclaimed ones on "platform"', async () => {
    const nodes: string[] = [];
    const seen: { node: string; status: number; space: number }[] = [];
    const sink: TraceSink = {
      nodeId: (p) => (nodes.includes(p) ? nodes.indexOf(p) : nodes.push(p) - 1),
      access: (n, space, _r, _o, _w, _op, _lo, _hi, status) => seen.push({ node: nodes[n], status, space }),
      mailbox: () => {},
      step: () => {},
    };
    const p = build('switch4', sink);
    p.enumerateLikeFirmware();
    const touched = new Set(seen.map((s) => s.node));
    for (const n of ['hb0.rp0', 'hb0.rp0.sw0.usp', 'hb0.rp0.sw0.dsp1', 'hb0.rp0.sw0.dsp1.ep0', 'platform']) expect(touched.has(n)).toBe(true);
    expect(seen.filter((s) => s.node === 'platform').every((s) => s.status === 1)).toBe(true);
  });

  it('targets() offers every function, and layout() every node with its blocks', () => {
    const p = build('switch4');
    expect([...p.targets().keys()].sort()).toEqual(
      ['hb0.rp0', 'hb0.rp0.sw0.usp', ...[0, 1, 2, 3].flatMap((i) => [`hb0.rp0.sw0.dsp${i}`, `hb0.rp0.sw0.dsp${i}.ep0`])].sort(),
    );
    const layout = p.layout();
    const usp = layout.find((n) => n.node === 'hb0.rp0.sw0.usp')!;
    expect(usp.kind).toBe('switch-usp');
    expect(usp.blocks.map((b) => b.block)).toEqual(expect.arrayContaining(['pci-type1-header', 'dvsec-flex-bus', 'dvsec-register-locator', 'cxl-hdm-decoder']));
    const dsp = layout.find((n) => n.node === 'hb0.rp0.sw0.dsp0')!;
    expect(dsp.blocks.map((b) => b.block)).toEqual(expect.arrayContaining(['dvsec-port-extensions', 'dvsec-gpf-port', 'cxl-ras', 'cxl-link']));
    expect(dsp.blocks.map((b) => b.block)).not.toContain('cxl-hdm-decoder');
    expect(layout.find((n) => n.node === 'hb0')!.blocks.map((b) => b.block)).not.toContain('cxl-hdm-decoder'); // pass-through
  });
});
