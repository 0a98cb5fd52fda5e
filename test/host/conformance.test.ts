import { describe, expect, it } from 'vitest';
import { conformanceRun, CONFORMANCE_CHECKS } from '../../host/sequences/conformance/index.js';
import type { Target } from '../../common/target.js';
import { realDevice } from './real-device.js';
import { patchTarget } from './run-env.js';

/** A target whose config dword at `off` accepts writes (a broken RO register). */
function writableCfg(t: Target, off: number): Target {
  let shadow: number | null = null;
  return {
    ...t,
    node: t.node,
    backend: t.backend,
    cfgRead: async (o, w) => (o === off && w === 2 && shadow !== null ? shadow : t.cfgRead(o, w)),
    cfgWrite: async (o, w, v) => {
      if (o === off && w === 2) shadow = v;
      return t.cfgWrite(o, w, v);
    },
    barRead: (b, o, w) => t.barRead(b, o, w),
    barWrite: (b, o, w, v) => t.barWrite(b, o, w, v),
    barRead64: (b, o) => t.barRead64(b, o),
    barWrite64: (b, o, v) => t.barWrite64(b, o, v),
  };
}

describe('conformance', () => {
  it('has at least 50 uniquely named checks, each with a spec section and rationale', () => {
    expect(CONFORMANCE_CHECKS.length).toBeGreaterThanOrEqual(50);
    expect(new Set(CONFORMANCE_CHECKS.map((c) => c.id)).size).toBe(CONFORMANCE_CHECKS.length);
    for (const c of CONFORMANCE_CHECKS) {
      expect(c.spec).toMatch(/^(CXL|PCIe|CDAT)/);
      expect(c.rationale.length).toBeGreaterThan(10);
    }
  });

  it('passes on the emulated Type 3 device (no failures) with one step per check and a table', async () => {
    const { ctx } = realDevice();
    const r = await conformanceRun(ctx);
    expect(r.rows.filter((x) => x.verdict === 'fail')).toEqual([]);
    expect(r.rows).toHaveLength(CONFORMANCE_CHECKS.length);
    expect(ctx.steps).toHaveLength(CONFORMANCE_CHECKS.length);
    expect(r.rows.filter((x) => x.verdict === 'pass').length).toBeGreaterThanOrEqual(50);
    expect(r.table.split('\n')).toHaveLength(CONFORMANCE_CHECKS.length + 2);
  });

  it('leaves the device as it found it (a second run gives the same verdicts)', async () => {
    const { ctx } = realDevice();
    const a = await conformanceRun(ctx);
    const b = await conformanceRun(ctx);
    expect(b.rows.map((x) => [x.id, x.verdict])).toEqual(a.rows.map((x) => [x.id, x.verdict]));
  });

  it('catches a writable CXL Capability register (deliberately broken RO)', async () => {
    const probe = realDevice();
    const { pciDvsecs } = await import('../../host/core/pci.js');
    const d0 = (await pciDvsecs(probe.target)).find((d) => d.id === 0)!;
    const { ctx } = realDevice({}, 'hb0.rp0.ep0', (t) => writableCfg(t, d0.offset + 0x0a));
    const r = await conformanceRun(ctx);
    const failed = r.rows.filter((x) => x.verdict === 'fail').map((x) => x.id);
    expect(failed).toEqual(['dvsec0.capability-read-only']);
  });

  it('catches a reserved bit that reads one in Memory Device Status', async () => {
    const probe = realDevice();
    const { MailboxClient } = await import('../../host/core/mbox.js');
    const c = await MailboxClient.connect(probe.target, { sleep: async () => {}, now: () => 0, sink: null });
    if ('error' in c) throw new Error(c.error);
    const { ctx } = realDevice({}, 'hb0.rp0.ep0', (t) => patchTarget(t, { bar: { [`${c.regs.bar}:${c.regs.memdev}`]: 0x0000_0114 } }));
    const r = await conformanceRun(ctx);
    expect(r.rows.filter((x) => x.verdict === 'fail').map((x) => x.id)).toEqual(['memdev.reserved']);
  });
});

describe('conformance RW1C checks with errors present', () => {
  it('an injected uncorrectable error is cleared by writing ones (RW1C holds)', async () => {
    const { dev, ctx } = realDevice();
    dev.injectRas('uncorrectable', 1 << 4, { unmask: true }); // masks reset to all ones (CXL 2.0 8.2.5.9.2)
    const { CONFORMANCE_CHECKS: all } = await import('../../host/sequences/conformance/index.js');
    const r = await conformanceRun(ctx, all.filter((c) => c.id === 'ras.ue-status-rw1c'));
    expect(r.rows[0]!.verdict).toBe('pass');
    expect(r.rows[0]!.evidence).toMatch(/before 0x0000_0010, after writing ones 0x0000_0000/);
  });

  it('a status bit that does not clear on a 1 write is caught', async () => {
    const probe = realDevice();
    const { discoverFunction } = await import('../../host/core/discover.js');
    const ras = (await discoverFunction(probe.target)).layout.blocks.find((b) => b.block === 'cxl-ras')!.base;
    const { ctx } = realDevice({}, 'hb0.rp0.ep0', (t) => patchTarget(t, { bar: { [`0:${ras}`]: 0x10 } }));
    const r = await conformanceRun(ctx, CONFORMANCE_CHECKS.filter((c) => c.id.startsWith('ras.')));
    expect(r.rows.find((x) => x.id === 'ras.ue-status-rw1c')!.verdict).toBe('fail');
    expect(r.rows.find((x) => x.id === 'ras.ue-status-rw1c')!.evidence).toContain('did not clear');
  });
});
