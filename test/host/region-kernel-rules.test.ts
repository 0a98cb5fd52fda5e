// The region sequence follows Linux core/region.c's ways/granularity rules (cxl_port_setup_targets,
// check_interleave_cap) on the emulated platform.

import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../common/clock.js';
import { buildPlatform } from '../../emulator/topology/index.js';
import { loadTopology } from '../../emulator/topology/load.js';
import { decodeCedt } from '../../emulator/topology/cedt.js';
import { regionRun } from '../../host/sequences/region/index.js';
import { interleaveCapError, levelGranularity } from '../../host/core/region-math.js';
import { makeCtx } from './run-env.js';

const dev = (serial: number) => ({ capacity: { volatile: '256MiB' }, serial, decoders: 4 });

function platformOf(file: unknown) {
  const r = loadTopology(file);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  const clock = new VirtualClock();
  const p = buildPlatform(r.topology, { clock });
  p.enumerateLikeFirmware();
  return { p, ctx: makeCtx([...p.targets().values()], p, clock) };
}
const fails = (ctx: { steps: Array<{ verdict: string; name: string; reason?: string }> }) => ctx.steps.filter((s) => s.verdict === 'fail');

describe('region over a 3-way CFMWS (Linux: parent_iw /= 3 at the root)', () => {
  it('host bridge decoders under a 3-way window take the region granularity, and a 6-way region works', async () => {
    const { ctx } = platformOf({
      hostBridges: [0, 1, 2].map((uid) => ({ uid, decoders: 4, rootPorts: [0, 1].map((port) => ({ port, endpoint: dev(uid * 2 + port + 1) })) })),
      windows: [{ base: '0x1000000000', size: '3GiB', targets: [0, 1, 2], granularity: 256 }],
    });
    const r = await regionRun(ctx, { testBytes: 8192 });
    expect(fails(ctx)).toEqual([]);
    expect(r.region).toMatchObject({ ways: 6, granularity: 256, size: 6 * 256 * 2 ** 20 });
    expect(r.memtest).toEqual({ bytes: 8192, errors: 0 });
    const plan = ctx.steps.find((s) => s.name === 'plan')!;
    expect(plan.evidence).toContain('hb0 decoder 0: 2-way × 256 B');
  });
  it('levelGranularity: a 3/6/12-way root multiplies by its power-of-two factor only', () => {
    expect(levelGranularity(256, [3])).toBe(256);
    expect(levelGranularity(256, [6])).toBe(512);
    expect(levelGranularity(256, [12, 2])).toBe(2048);
    expect(levelGranularity(512, [2, 4])).toBe(4096);
  });
});

describe('region checks Linux makes before programming', () => {
  it('a host bridge with more chosen root ports than its Target Count fails with "overflows targets" and writes no decoder', async () => {
    const { ctx } = platformOf({
      hostBridges: [{ uid: 0, decoders: 4, targetCount: 1, rootPorts: [0, 1].map((port) => ({ port, endpoint: dev(port + 1) })) }],
      windows: [{ base: '0x1000000000', size: '4GiB', targets: [0], granularity: 256 }],
    });
    const r = await regionRun(ctx, { testBytes: 8192 });
    expect(r.region).toBeNull();
    expect(fails(ctx).map((s) => s.reason)).toEqual(['hb0: ways: 2 overflows targets: 1 (-ENXIO)']);
    expect(ctx.steps.some((s) => s.name.startsWith('commit'))).toBe(false);
  });
  it('interleaveCapError mirrors check_interleave_cap', () => {
    const all = { a11to8: true, a14to12: true, ways3_6_12: true, ways16: true };
    expect(interleaveCapError(all, 2, 256)).toBeNull();
    expect(interleaveCapError(all, 12, 1024)).toBeNull(); // bits 11:10
    expect(interleaveCapError({ ...all, ways3_6_12: false }, 3, 256)).toContain('interleave ways capability');
    expect(interleaveCapError({ ...all, ways16: false }, 16, 256)).toContain('interleave ways capability');
    expect(interleaveCapError({ ...all, a14to12: false }, 2, 4096)).toContain('HPA bit 12');
    expect(interleaveCapError({ ...all, a11to8: false }, 8, 256)).toContain('HPA bit 8');
    expect(interleaveCapError(all, 4, 16384)).toContain('HPA bit 15'); // Linux has no mask above bit 14
    expect(interleaveCapError({ ...all, a11to8: false, a14to12: false }, 1, 256)).toBeNull();
  });
  it('a second region is placed at the next 256 MiB boundary (alloc_hpa aligns to SZ_256M, not 256 MiB x ways)', async () => {
    const big = (serial: number) => ({ capacity: { volatile: '1GiB' }, serial, decoders: 4 });
    const { ctx } = platformOf({
      hostBridges: [{ uid: 0, decoders: 4, rootPorts: [0, 1].map((port) => ({ port, endpoint: big(port + 1) })) }],
      windows: [{ base: '0x1000000000', size: '4GiB', targets: [0], granularity: 256 }],
    });
    const first = await regionRun(ctx, { keep: true, endpoints: ['hb0.rp0.ep0'], perEndpointBytes: 256 * 2 ** 20, testBytes: 8192 });
    expect(first.region).toMatchObject({ base: 0x10_0000_0000, size: 256 * 2 ** 20 });
    const second = await regionRun(ctx, { perEndpointBytes: 256 * 2 ** 20, testBytes: 8192 });
    expect(fails(ctx)).toEqual([]);
    expect(second.region).toMatchObject({ base: 0x10_1000_0000, ways: 2, size: 512 * 2 ** 20 });
  });
});

describe('region picks only windows cxl_acpi registered', () => {
  it('a CFMWS with a reserved HBIG is skipped; the next usable window is used', async () => {
    const { p, ctx } = platformOf({
      hostBridges: [{ uid: 0, decoders: 4, rootPorts: [0, 1].map((port) => ({ port, endpoint: dev(port + 1) })) }],
      windows: [
        { base: '0x1000000000', size: '4GiB', targets: [0], granularity: 256 },
        { base: '0x2000000000', size: '4GiB', targets: [0], granularity: 256 },
      ],
    });
    const bytes = p.cedt();
    const v = new DataView(bytes.buffer, bytes.byteOffset);
    const firstCfmws = 36 + 0x20; // after the one CHBS
    v.setUint32(firstCfmws + 0x1c, 9, true); // HBIG 9: reserved
    bytes[9] = 0;
    bytes[9] = (0x100 - bytes.reduce((s, x) => (s + x) & 0xff, 0)) & 0xff;
    const withBadWindow = Object.create(p) as typeof p;
    withBadWindow.cedt = () => bytes;
    const ctx2 = { ...ctx, platform: withBadWindow };
    const r = await regionRun(ctx2, { testBytes: 8192 });
    expect(fails(ctx)).toEqual([]);
    expect(r.region).toMatchObject({ window: 1, base: 0x20_0000_0000 });
    ctx.steps.length = 0;
    const r0 = await regionRun(ctx2, { window: 0, testBytes: 8192 });
    expect(r0.region).toBeNull();
    expect(fails(ctx)[0]!.reason).toBe('CFMWS0 is not registered by cxl_acpi: CFMWS Interleave Granularity (HBIG 9) invalid');
  });
});

describe('region writes only what Linux writes', () => {
  it('HDM Global Control is written on endpoints only, never on the host bridge (RsvdP there; Linux leaves it)', async () => {
    const { p, ctx } = platformOf({
      hostBridges: [{ uid: 0, decoders: 4, rootPorts: [0, 1].map((port) => ({ port, endpoint: dev(port + 1) })) }],
      windows: [{ base: '0x1000000000', size: '4GiB', targets: [0], granularity: 256 }],
    });
    const writes: number[] = [];
    const spy = Object.create(p) as typeof p;
    spy.mmioWrite = (addr: number, width: Parameters<typeof p.mmioWrite>[1], value: number) => {
      writes.push(addr);
      return p.mmioWrite(addr, width, value);
    };
    const r = await regionRun({ ...ctx, platform: spy }, { testBytes: 8192 });
    expect(fails(ctx)).toEqual([]);
    expect(r.region).not.toBeNull();
    const chbcr = decodeCedt(p.cedt()).chbs[0]!.base;
    const hbGlobalControl = chbcr + 0x1000 + 0x128 + 4; // component regs: cache/mem at +0x1000, HDM at +0x128
    expect(writes.length).toBeGreaterThan(0); // the HB decoder itself was programmed through the platform
    expect(writes).not.toContain(hbGlobalControl);
  });
});

describe('region sizes endpoints by free DPA', () => {
  it('a second region takes the DPA left after the first region\'s decoders (cxl_dpa_alloc), not the whole capacity', async () => {
    const big = (serial: number) => ({ capacity: { volatile: '1GiB' }, serial, decoders: 4 });
    const { ctx } = platformOf({
      hostBridges: [{ uid: 0, decoders: 4, rootPorts: [0, 1].map((port) => ({ port, endpoint: big(port + 1) })) }],
      windows: [{ base: '0x1000000000', size: '8GiB', targets: [0], granularity: 256 }],
    });
    const first = await regionRun(ctx, { keep: true, perEndpointBytes: 256 * 2 ** 20, testBytes: 8192 });
    expect(first.region).toMatchObject({ size: 512 * 2 ** 20 });
    const second = await regionRun(ctx, { testBytes: 8192 });
    expect(fails(ctx)).toEqual([]);
    expect(second.region).toMatchObject({ base: 0x10_2000_0000, size: 2 * 768 * 2 ** 20 });
  });
});
