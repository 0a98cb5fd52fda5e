// linux-probe under the Linux 6.1 profile (host/kernels/linux-6.1.ts) over the built-in topologies: every step
// names the version, the accesses are 6.1's (no Bus Master, no Set Timestamp, Target Type written into
// uncommitted decoders at probe), and the same device probes under 6.12 and mainline.

import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../common/clock.js';
import type { Target } from '../../../common/target.js';
import { buildPlatform } from '../../../emulator/topology/index.js';
import { loadTopology } from '../../../emulator/topology/load.js';
import { DEFAULT_TOPOLOGIES } from '../../../emulator/topology/defaults/index.js';
import { linuxProbeRun } from '../../../host/sequences/linux-probe/index.js';
import { KERNEL_IDS } from '../../../host/kernels/index.js';
import { makeCtx } from '../run-env.js';

interface Access {
  node: string;
  kind: 'cfg' | 'bar';
  op: 'R' | 'W';
  off: number;
  width: number;
  value: number | bigint;
  bar?: number;
}

/** Record every access of each target (the emulated platform, `profile` for every endpoint). */
function recorded(name: keyof typeof DEFAULT_TOPOLOGIES, profile: 'spec' | 'qemu' = 'qemu') {
  const raw = JSON.parse(JSON.stringify(DEFAULT_TOPOLOGIES[name])) as { hostBridges: Array<{ rootPorts: Array<{ endpoint?: Record<string, unknown>; switch?: { downstreamPorts: Array<{ endpoint: Record<string, unknown> }> } }> }> };
  for (const hb of raw.hostBridges) for (const rp of hb.rootPorts) for (const ep of [rp.endpoint, ...(rp.switch?.downstreamPorts.map((d) => d.endpoint) ?? [])]) if (ep) ep.profile = profile;
  const r = loadTopology(raw);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  const clock = new VirtualClock();
  const p = buildPlatform(r.topology, { clock });
  p.enumerateLikeFirmware();
  const log: Access[] = [];
  const wrap = (t: Target): Target => ({
    node: t.node,
    backend: t.backend,
    cfgRead: async (o, w) => {
      const v = await t.cfgRead(o, w);
      log.push({ node: t.node, kind: 'cfg', op: 'R', off: o, width: w, value: v });
      return v;
    },
    cfgWrite: async (o, w, v) => {
      log.push({ node: t.node, kind: 'cfg', op: 'W', off: o, width: w, value: v });
      return t.cfgWrite(o, w, v);
    },
    barRead: async (b, o, w) => {
      const v = await t.barRead(b, o, w);
      log.push({ node: t.node, kind: 'bar', bar: b, op: 'R', off: o, width: w, value: v });
      return v;
    },
    barWrite: async (b, o, w, v) => {
      log.push({ node: t.node, kind: 'bar', bar: b, op: 'W', off: o, width: w, value: v });
      return t.barWrite(b, o, w, v);
    },
    barRead64: async (b, o) => {
      const v = await t.barRead64(b, o);
      log.push({ node: t.node, kind: 'bar', bar: b, op: 'R', off: o, width: 8, value: v });
      return v;
    },
    barWrite64: async (b, o, v) => {
      log.push({ node: t.node, kind: 'bar', bar: b, op: 'W', off: o, width: 8, value: v });
      return t.barWrite64(b, o, v);
    },
  });
  const ctx = makeCtx([...p.targets().values()].map(wrap), p, clock);
  return { p, ctx, log };
}

/** Mailbox commands sent: 64-bit writes to the command register (opcode in [15:0]). */
const opcodes = (log: Access[], node: string) => log.filter((a) => a.node === node && a.kind === 'bar' && a.op === 'W' && a.width === 8).map((a) => Number(BigInt(a.value) & 0xffffn));

describe('linux-probe, Linux 6.1 profile', () => {
  for (const topo of ['single', 'interleave2', 'switch4'] as const) {
    it(`${topo}: every endpoint binds, every verdict names Linux 6.1`, async () => {
      const { ctx } = recorded(topo);
      const r = await linuxProbeRun(ctx, { kernel: '6.1' });
      expect(ctx.steps.filter((s) => s.verdict === 'fail')).toEqual([]);
      expect(r.endpoints.length).toBeGreaterThan(0);
      expect(r.endpoints.every((e) => e.cxlPci && e.cxlMem)).toBe(true);
      expect(ctx.steps.every((s) => s.reason.includes('Linux 6.1'))).toBe(true);
      expect(r.summary).toContain('(Linux 6.1)');
    });
  }

  it('6.1 sends no Set Timestamp and no event commands; 6.12 does', async () => {
    const a = recorded('single');
    await linuxProbeRun(a.ctx, { kernel: '6.1' });
    const ops61 = opcodes(a.log, 'hb0.rp0.ep0');
    expect(ops61).toContain(0x4000);
    expect(ops61).toContain(0x4102); // labels (persistent capacity + LSA)
    for (const op of [0x0301, 0x0100, 0x0101, 0x0102, 0x0103]) expect(ops61).not.toContain(op);
    const b = recorded('single');
    await linuxProbeRun(b.ctx, { kernel: '6.12' });
    expect(opcodes(b.log, 'hb0.rp0.ep0')).toContain(0x0301);
  });

  it('6.1 never sets Bus Master (no pci_set_master); 6.12 asks for it', async () => {
    for (const [k, bm] of [['6.1', 0], ['6.12', 4]] as const) {
      const { ctx, p, log } = recorded('single');
      // Start from a function firmware left with Bus Master off.
      const t = p.targets().get('hb0.rp0.ep0')!;
      await t.cfgWrite(0x04, 2, (await t.cfgRead(0x04, 2)) & ~4);
      log.length = 0;
      await linuxProbeRun(ctx, { kernel: k });
      expect((await t.cfgRead(0x04, 2)) & 4, k).toBe(bm);
    }
  });

  it('6.1 writes Target Type into every uncommitted decoder of the endpoint and of a multi-dport port', async () => {
    const { ctx, log } = recorded('interleave2');
    await linuxProbeRun(ctx, { kernel: '6.1' });
    const step = ctx.steps.find((s) => s.name === 'hb0.rp0.ep0: decoders')!;
    expect(step.reason).toContain('Target Type written into 4');
    expect(step.reason).toContain('Linux 6.1: drivers/cxl/core/hdm.c init_hdm_decoder');
    // Writes with bit 12 set to a decoder control register (0x20 + 0x20 n from the HDM structure).
    const typed = log.filter((a) => a.node === 'hb0.rp0.ep0' && a.kind === 'bar' && a.bar === 0 && a.op === 'W' && a.width === 4 && (Number(a.value) & 0x1000) !== 0);
    expect(typed).toHaveLength(4);
    expect(ctx.steps.find((s) => s.name === 'cxl_acpi: hb0: decoders')!.reason).toContain('Target Type written into 4');
  });

  it('the QEMU-profile device probes under every kernel profile', async () => {
    for (const k of KERNEL_IDS) {
      const { ctx } = recorded('single');
      const r = await linuxProbeRun(ctx, { kernel: k });
      expect(ctx.steps.filter((s) => s.verdict === 'fail'), k).toEqual([]);
      expect(r.endpoints[0]!.cxlMem, k).toBe(true);
    }
  });
});

describe('conformance under a kernel profile', () => {
  it('the probe-related checks name the kernel rule they judge by', async () => {
    const { conformanceRun } = await import('../../../host/sequences/conformance/index.js');
    const { ctx } = recorded('single');
    const r = await conformanceRun({ ...ctx, kernel: '6.1' });
    const id = ctx.steps.find((s) => s.name === 'hb0.rp0.ep0: mbox.identify-output')!;
    expect(id.reason).toContain('Linux 6.1: drivers/cxl/cxlmem.h struct cxl_mbox_identify');
    expect(id.evidence).toContain('(Linux 6.1 asks 67)');
    expect(ctx.steps.find((s) => s.name === 'hb0.rp0.ep0: ras.ue-mask-rw')!.reason).toContain('Linux 6.1: drivers/cxl/pci.c cxl_pci_probe (no cxl_pci_ras_unmask)');
    expect(r.rows.length).toBeGreaterThan(50);
  });
});
