// Host sequences against the emulated platform (emulator/topology buildPlatform) with the built-in topologies.

import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../common/clock.js';
import { buildPlatform, defaultTopology, type DefaultTopologyName } from '../../emulator/topology/index.js';
import { enumerateRun } from '../../host/sequences/enumerate.js';
import { linuxProbeRun } from '../../host/sequences/linux-probe/index.js';
import { regionRun } from '../../host/sequences/region/index.js';
import { makeCtx } from './run-env.js';

function platform(name: DefaultTopologyName) {
  const clock = new VirtualClock();
  const p = buildPlatform(defaultTopology(name), { clock });
  p.enumerateLikeFirmware(); // firmware numbers buses and assigns BARs before the OS probes
  return { p, ctx: makeCtx([...p.targets().values()], p, clock) };
}
const bad = (ctx: { steps: Array<{ verdict: string }> }) => ctx.steps.filter((s) => s.verdict === 'fail' || s.verdict === 'warn');

describe('region on the interleave2 topology', () => {
  it('creates a 2-way region over both endpoints, tests memory through the HPA path and tears down', async () => {
    const { p, ctx } = platform('interleave2');
    const r = await regionRun(ctx);
    expect(bad(ctx)).toEqual([]);
    expect(r.region).toMatchObject({ ways: 2, granularity: 256, size: 512 * 2 ** 20, targets: [{ position: 0, node: 'hb0.rp0.ep0' }, { position: 1, node: 'hb0.rp1.ep0' }] });
    expect(r.memtest).toEqual({ bytes: 64 * 1024, errors: 0 });
    // after tear-down nothing decodes the region any more
    const after = await p.memRead(r.region!.base as never, new Uint8Array(8));
    expect(after.status).toBe('unroutable');
  });

  it('a kept region spreads 256-byte granules across both devices', async () => {
    const { p, ctx } = platform('interleave2');
    const r = await regionRun(ctx, { keep: true, testBytes: 8192 });
    const a = await p.memWrite((r.region!.base) as never, new Uint8Array(512).fill(0xa5));
    expect(a.status).toBe('ok');
    const routes = [0, 256].map(async (o) => (await p.memRead((r.region!.base + o) as never, new Uint8Array(1))).detail ?? '');
    const [d0, d1] = await Promise.all(routes);
    expect(d0).toContain('rp0');
    expect(d1).toContain('rp1');
  });
});

describe('sequences over the switch4 topology', () => {
  it('enumerate walks the buses by BDF and lays out every function', async () => {
    const { ctx } = platform('switch4');
    const r = await enumerateRun(ctx);
    const walk = ctx.steps.find((s) => s.name === 'bus walk')!;
    expect(walk.reason).toMatch(/^10 function/);
    expect(r.layout.map((l) => l.kind).sort()).toEqual(['root-port', 'switch-dsp', 'switch-dsp', 'switch-dsp', 'switch-dsp', 'switch-usp', 'type3', 'type3', 'type3', 'type3']);
  });

  it('linux-probe runs cxl_acpi, the ports and all four endpoints without a failure', async () => {
    const { ctx } = platform('switch4');
    const r = await linuxProbeRun(ctx);
    expect(bad(ctx)).toEqual([]);
    expect(ctx.steps.some((s) => s.name === 'cxl_acpi: CFMWS0' && s.verdict === 'pass')).toBe(true);
    expect(r.endpoints.every((e) => e.cxlPci && e.cxlMem)).toBe(true);
    expect(r.endpoints).toHaveLength(4);
  });

  it('region builds a 4-way set through the switch', async () => {
    const { ctx } = platform('switch4');
    const r = await regionRun(ctx, { testBytes: 16384 });
    expect(bad(ctx)).toEqual([]);
    expect(r.region!.ways).toBe(4);
    expect(ctx.steps.filter((s) => s.name.startsWith('commit')).map((s) => s.name)[1]).toBe('commit hb0.rp0.sw0.usp decoder 0');
  });
});
