// Fidelity measured against real captures of Debian's QEMU 7.2 + Linux 6.1 (test/fixtures/qemu-linux, four
// topologies): (a) the 6.1 kernel profile's probe aligns with the real probe of every device (≥ 95 % of its
// accesses, keyed by structure, offset, op and width — LSA reads included) and agrees on ≥ 99 % of aligned
// reads; (b) the guest's whole stream replayed into the qemu-7.2 device profile is answered with QEMU's value
// on ≥ 99 % of the devices' reads; (c) the 6.1 region writes the same decoder registers, values and order as
// the real `cxl create-region`. Each figure is also shown to fall when the model is wrong (6.12 probe, the
// upstream `qemu` profile), so none of them can pass by construction.

import { beforeAll, describe, expect, it } from 'vitest';
import { figuresLine, measureFixture, type FidelityFigures } from '../../main/fidelity/measure.js';
import { QEMU_FIXTURE_NAMES } from '../../main/qemu/qemu-fixture.js';

describe('fidelity vs QEMU 7.2 + Linux 6.1 captures', () => {
  const figures = new Map<string, FidelityFigures>();
  beforeAll(async () => {
    for (const n of QEMU_FIXTURE_NAMES) figures.set(n, await measureFixture(n, '6.1', 'qemu-7.2'));
    for (const f of figures.values()) process.stdout.write(`fidelity: ${figuresLine(f)}\n`);
  }, 120_000);

  it('covers the four topologies: single, 2-way interleave at one host bridge, a switch, two host bridges', () => {
    expect([...figures.keys()]).toEqual(['single', 'interleave2', 'switch4', 'hb2']);
    expect(figures.get('switch4')!.probe).toHaveLength(4);
    expect(figures.get('hb2')!.probe.map((p) => p.node)).toEqual(['hb0.rp0.ep0', 'hb1.rp0.ep0']);
  });

  for (const name of QEMU_FIXTURE_NAMES) {
    it(`${name}: probe (6.1) ≥ 95 % aligned per device, ≥ 99 % equal values`, () => {
      for (const p of figures.get(name)!.probe) {
        expect(p.realProbe, p.node).toBeGreaterThan(500);
        expect(p.alignedPct, `${p.node} missed ${p.missed.join(', ')}`).toBeGreaterThanOrEqual(95);
        expect(p.valuesPct, `${p.node} ${p.valueDiffs.join(', ')}`).toBeGreaterThanOrEqual(99);
      }
    });
    it(`${name}: replay into qemu-7.2 answers ≥ 99 % of the devices' reads with QEMU's value`, () => {
      const f = figures.get(name)!;
      expect(f.replay.reads).toBeGreaterThan(1000);
      expect(Object.keys(f.replay.skipped)).toEqual([]);
      expect(f.replayDevicePct, JSON.stringify(f.replay.diffs.slice(0, 5))).toBeGreaterThanOrEqual(99);
    });
    it(`${name}: region (6.1) writes the same decoder registers, values and order as cxl create-region`, () => {
      const r = figures.get(name)!.region!;
      expect(r.real.length).toBeGreaterThan(0);
      expect(r.model).toEqual(r.real);
    });
  }

  it('the figures fall when the model is not the one captured (6.12 probe order; upstream qemu profile)', async () => {
    const wrong = await measureFixture('single', '6.12', 'qemu');
    expect(wrong.probeMinAlignedPct).toBeLessThan(figures.get('single')!.probeMinAlignedPct);
    expect(wrong.replayDevicePct).toBeLessThan(99);
  }, 60_000);
});
