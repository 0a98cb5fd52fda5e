// Regions the way Linux builds them: ram and pmem from the right partition (DPA skip), every built-in topology
// (including XOR and 3/6/12-way windows), and the choices that differ between kernels (kernel-rules.ts).
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../common/clock.js';
import { buildPlatform } from '../../emulator/topology/index.js';
import { defaultTopology } from '../../emulator/topology/default-topology.js';
import { DEFAULT_TOPOLOGY_NAMES, type DefaultTopologyName } from '../../emulator/topology/defaults/index.js';
import { loadTopology } from '../../emulator/topology/load.js';
import type { Topology } from '../../emulator/topology/types.js';
import { regionRun, type RegionOptions } from '../../host/sequences/region/index.js';
import { makeCtx } from './run-env.js';

function bench(t: Topology | unknown) {
  const topo = (t as Topology).hostBridges && (t as Topology).windows && 'kind' in ((t as Topology).hostBridges[0] ?? {}) ? (t as Topology) : load(t);
  const clock = new VirtualClock();
  const p = buildPlatform(topo, { clock });
  p.enumerateLikeFirmware();
  return { p, ctx: makeCtx([...p.targets().values()], p, clock) };
}
function load(raw: unknown): Topology {
  const r = loadTopology(raw);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.topology;
}
const verdicts = (ctx: { steps: Array<{ verdict: string; name: string; reason?: string; evidence?: string }> }, v: string) => ctx.steps.filter((s) => s.verdict === v);
const run = async (name: DefaultTopologyName, opt: RegionOptions) => {
  const b = bench(defaultTopology(name));
  const r = await regionRun(b.ctx, { testBytes: 16384, ...opt });
  return { ...b, r };
};

describe('region on every built-in topology', () => {
  const pmemCapable = DEFAULT_TOPOLOGY_NAMES.filter((n) => n !== 'ram-only');
  const ramCapable = DEFAULT_TOPOLOGY_NAMES.filter((n) => n !== 'pmem-only');
  it.each(pmemCapable)('%s: a pmem region commits, routes and passes the memory test', async (name) => {
    const { ctx, r } = await run(name, { mode: 'pmem' });
    expect(verdicts(ctx, 'fail')).toEqual([]);
    expect(r.region).toMatchObject({ mode: 'pmem' });
    expect(r.region!.uuid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(r.memtest).toEqual({ bytes: 16384, errors: 0 });
  });
  it.each(ramCapable)('%s: a ram region commits, routes and passes the memory test', async (name) => {
    const { ctx, r } = await run(name, { mode: 'ram' });
    expect(verdicts(ctx, 'fail')).toEqual([]);
    expect(r.region).toMatchObject({ mode: 'ram', uuid: null });
    expect(r.memtest).toEqual({ bytes: 16384, errors: 0 });
  });
  it('XOR (xor2) and 3-way (way3) regions: Linux translation matches the programmed decode', async () => {
    for (const name of ['xor2', 'way3'] as const) {
      const { ctx, r } = await run(name, {});
      expect(r.region!.ways).toBe(name === 'xor2' ? 4 : 3);
      expect(verdicts(ctx, 'warn')).toEqual([]);
      expect(ctx.steps.find((s) => s.name === 'translation')!.verdict).toBe('pass');
    }
    const x = await run('xor2', {});
    expect(x.r.region!.xorMaps).toEqual([0x2020900]);
  });
  it('way6 / way12: Linux positions (host bridge + 3 x port) disagree with the 2/4-way host-bridge routing for odd host bridges: a warning naming the positions', async () => {
    const six = await run('way6', {});
    expect(six.r.memtest!.errors).toBe(0);
    const w = verdicts(six.ctx, 'warn');
    expect(w.map((s) => s.name)).toEqual(['translation']);
    expect(w[0]!.reason).toContain('at 2 position(s)');
    const twelve = await run('way12', {});
    expect(verdicts(twelve.ctx, 'warn')[0]!.reason).toContain('at 8 position(s)');
  });
});

describe('DPA allocation (cxl_dpa_alloc)', () => {
  it('pmem-only: the default mode is pmem and the DPA starts at 0', async () => {
    const { r } = await run('pmem-only', {});
    expect(r.region!.mode).toBe('pmem');
    expect(r.region!.targets.map((t) => [t.dpa, t.skip])).toEqual([[0, 0], [0, 0]]);
  });
  it('mixed: pmem starts after each device’s volatile partition, the skip covers the unused ram', async () => {
    const { r } = await run('mixed', { mode: 'pmem' });
    expect(r.region!.targets.map((t) => [t.node, t.dpa, t.skip])).toEqual([
      ['hb0.rp0.ep0', 0x2000_0000, 0x2000_0000],
      ['hb0.rp1.ep0', 0x1000_0000, 0x1000_0000],
    ]);
  });
  it('ram-only: a pmem region fails with -ENOSPC naming each device', async () => {
    const { ctx, r } = await run('ram-only', { mode: 'pmem' });
    expect(r.region).toBeNull();
    expect(verdicts(ctx, 'fail')[0]!.reason).toContain('not enough free persistent capacity on the endpoints (-ENOSPC)');
    expect(verdicts(ctx, 'fail')[0]!.evidence).toContain('hb0.rp0.ep0: 0x0000_0000 B free');
  });
  const oneDev = { hostBridges: [{ uid: 0, rootPorts: [{ endpoint: { capacity: { volatile: '256MiB', persistent: '512MiB' }, decoders: 4 } }] }], windows: [{ size: '4GiB', targets: [0] }] };
  it('a second pmem region: 6.12 allocates right after the first with skip 0; 6.1 collides with it (-EBUSY)', async () => {
    const b = bench(oneDev);
    const first = await regionRun(b.ctx, { mode: 'pmem', perEndpointBytes: 0x1000_0000, keep: true, memtest: false });
    expect(first.region!.targets[0]).toMatchObject({ dpa: 0x1000_0000, skip: 0x1000_0000 });
    const second = await regionRun(b.ctx, { mode: 'pmem', kernel: '6.12', testBytes: 8192 });
    expect(verdicts(b.ctx, 'fail')).toEqual([]);
    expect(second.region!.targets[0]).toMatchObject({ decoder: 1, dpa: 0x2000_0000, skip: 0 });
    expect(second.region!.base).toBe(first.region!.base + first.region!.size);
    const c = bench(oneDev);
    await regionRun(c.ctx, { mode: 'pmem', perEndpointBytes: 0x1000_0000, keep: true, memtest: false });
    const old = await regionRun(c.ctx, { mode: 'pmem', kernel: '6.1' });
    expect(old.region).toBeNull();
    expect(verdicts(c.ctx, 'fail')[0]!.reason).toMatch(/overlaps the earlier pmem allocation .*\(-EBUSY\)/);
  });
  it('a ram region after a pmem one is refused (DPA must increase with the decoder index)', async () => {
    const b = bench(oneDev);
    await regionRun(b.ctx, { mode: 'pmem', perEndpointBytes: 0x1000_0000, keep: true, memtest: false });
    const r = await regionRun(b.ctx, { mode: 'ram' });
    expect(r.region).toBeNull();
    expect(verdicts(b.ctx, 'fail')[0]!.reason).toContain('(-EBUSY)');
  });
});

describe('kernel-dependent choices (kernel-rules.ts)', () => {
  const oneRpWithHdm = { hostBridges: [{ uid: 0, decoders: 4, rootPorts: [{ endpoint: { capacity: { persistent: '256MiB' }, decoders: 4 } }] }], windows: [{ size: '4GiB', targets: [0] }] };
  it('a host bridge with one root port and HDM decoders: 6.1 leaves it to a pass-through decoder (memory is unroutable), 6.12 programs it', async () => {
    const old = bench(oneRpWithHdm);
    const r61 = await regionRun(old.ctx, { kernel: '6.1', testBytes: 8192 });
    expect(old.ctx.steps.find((s) => s.name === 'pass-through')!.reason).toContain('hb0 (one dport: Linux uses a pass-through decoder');
    expect(r61.region).not.toBeNull();
    expect(verdicts(old.ctx, 'fail').map((s) => s.name)).toEqual(['memory test']);
    expect(verdicts(old.ctx, 'fail')[0]!.reason).toContain('hb0: no committed HDM decoder claims HPA');
    const now = bench(oneRpWithHdm);
    const r612 = await regionRun(now.ctx, { kernel: '6.12', testBytes: 8192 });
    expect(verdicts(now.ctx, 'fail')).toEqual([]);
    expect(r612.memtest!.errors).toBe(0);
  });
  it('6.1 derives the host-bridge granularity from the 1-way window (256 B) under a 4 KiB region: HPAs alias; 6.12 uses the region granularity', async () => {
    const t = defaultTopology('interleave2');
    const old = bench(t);
    const r61 = await regionRun(old.ctx, { kernel: '6.1', mode: 'pmem', granularity: 4096, testBytes: 65536 });
    expect(old.ctx.steps.find((s) => s.name === 'plan')!.evidence).toContain('hb0 decoder 0: 2-way × 256 B');
    expect(r61.memtest!.errors).toBeGreaterThan(0);
    const now = bench(defaultTopology('interleave2'));
    const r612 = await regionRun(now.ctx, { kernel: '6.12', mode: 'pmem', granularity: 4096, testBytes: 65536 });
    expect(now.ctx.steps.find((s) => s.name === 'plan')!.evidence).toContain('hb0 decoder 0: 2-way × 4096 B');
    expect(r612.memtest!.errors).toBe(0);
  });
  it('6.1 has no ram regions', async () => {
    const { ctx, r } = await run('ram-only', { kernel: '6.1', mode: 'ram' });
    expect(r.region).toBeNull();
    expect(verdicts(ctx, 'fail')[0]!.reason).toContain('create_ram_region');
  });
  it('--ways picks that many endpoints, a ways not a power-of-two multiple of the window is -EINVAL', async () => {
    const two = await run('switch4', { ways: 2 });
    expect(two.r.region!.targets.map((t) => t.node)).toEqual(['hb0.rp0.sw0.dsp0.ep0', 'hb0.rp0.sw0.dsp1.ep0']);
    const bad = await run('way3', { ways: 4 });
    expect(verdicts(bad.ctx, 'fail')[0]!.reason).toContain('(-EINVAL)');
  });
});
