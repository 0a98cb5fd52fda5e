import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { VirtualClock } from '../../../common/clock.js';
import { hpa, type Hpa } from '../../../common/units.js';
import type { TraceSink, StepTraceRecord } from '../../../common/trace-sink.js';
import { buildPlatform, defaultTopology, loadTopology, type EmulatedPlatform } from '../../../emulator/topology/index.js';
import { hpaToDpaOffset, interleavePosition } from '../../../emulator/interleave/index.js';
import { CTRL } from '../../../emulator/hdm/index.js';
import { commitDecoder, fillPattern, memEnableAll, patternByte } from './region-helper.js';

const MiB = 2 ** 20;
/** A platform whose endpoints have Mem_Enable set (as after Linux's cxl_hdm_decode_init). */
const build = (...a: Parameters<typeof buildPlatform>) => memEnableAll(buildPlatform(...a));
const WIN = 0x10_0000_0000;

const hdmOf = (p: EmulatedPlatform, path: string) => {
  const h = path.includes('.') ? p.node(path)!.hdm : p.hostBridges.find((x) => x.path === path)!.regs.hdm;
  if (!h) throw new Error(`no decoders at ${path}`);
  return h;
};
const media = (p: EmulatedPlatform, path: string) => p.node(path)!.type3!.backend.media;
const readDpa = (p: EmulatedPlatform, path: string, dpa: number, n: number) => {
  const out = new Uint8Array(n);
  media(p, path).read(dpa as never, out);
  return out;
};

/** Check every byte of [base, base+n) landed where the arithmetic says. `where(hpa)` -> [endpoint path, DPA]. */
const expectPlacement = (p: EmulatedPlatform, base: number, n: number, where: (h: number) => [string, number]) => {
  for (let i = 0; i < n; i += 61) {
    const [ep, d] = where(base + i);
    expect(readDpa(p, ep, d, 1)[0], `HPA 0x${(base + i).toString(16)} -> ${ep} DPA 0x${d.toString(16)}`).toBe(patternByte(base + i));
  }
};

describe('memory path: single device', () => {
  it('a write by HPA lands at DPA = skip + offset and reads back; route detail names every hop', async () => {
    const p = build(defaultTopology('single'), { clock: new VirtualClock() });
    // Host bridge passes through (one root port); the endpoint decoder maps 256 MiB after a 256 MiB skip.
    expect(commitDecoder(hdmOf(p, 'hb0.rp0.ep0'), 0, { base: WIN, size: 256 * MiB, ways: 1, granularity: 256, skip: 256 * MiB }) & CTRL.committed).toBe(CTRL.committed);
    const at = WIN + 0x12_3450;
    const data = fillPattern(at, 5000);
    expect(await p.memWrite(hpa(at), data)).toEqual({ status: 'ok', detail: 'CFMWS0 -> hb0 -> hb0.rp0 -> hb0.rp0.ep0 dec0 DPA 0x10123450' });
    expect(readDpa(p, 'hb0.rp0.ep0', 256 * MiB + 0x12_3450, 5000)).toEqual(data);
    const back = new Uint8Array(5000);
    expect((await p.memRead(hpa(at), back)).status).toBe('ok');
    expect(back).toEqual(data);
  });
});

describe('memory path: 2-way interleave across two root ports', () => {
  const setup = (gran: number) => {
    const p = build(defaultTopology('interleave2'), { clock: new VirtualClock() });
    for (const ep of ['hb0.rp0.ep0', 'hb0.rp1.ep0']) commitDecoder(hdmOf(p, ep), 0, { base: WIN, size: 1024 * MiB, ways: 2, granularity: gran });
    commitDecoder(hdmOf(p, 'hb0'), 0, { base: WIN, size: 1024 * MiB, ways: 2, granularity: gran, targets: [0, 1] });
    return p;
  };
  it.each([256, 1024, 4096])('granularity %i: bytes alternate between the devices by granule', async (gran) => {
    const p = setup(gran);
    const at = WIN + 3 * gran + 17; // starts mid-granule, crosses many granules
    const n = 9 * gran + 100;
    expect((await p.memWrite(hpa(at), fillPattern(at, n))).status).toBe('ok');
    expectPlacement(p, at, n, (h) => [`hb0.rp${interleavePosition(h, 2, gran)}.ep0`, hpaToDpaOffset(h, WIN, 2, gran)]);
    const back = new Uint8Array(n);
    await p.memRead(hpa(at), back);
    expect(back).toEqual(fillPattern(at, n));
  });
  it('any read inside the region returns exactly what was written (planned and general paths agree)', async () => {
    const p = setup(512);
    const span = 96 * 1024;
    const at0 = WIN + 1024 * MiB - span; // the region's last bytes
    await p.memWrite(hpa(at0), fillPattern(at0, span));
    fc.assert(
      fc.property(fc.nat(span - 1), fc.integer({ min: 1, max: 12 * 1024 }), (off, n) => {
        const len = Math.min(n, span - off);
        const out = new Uint8Array(len);
        expect(p.memory.read(at0 + off, out).status).toBe('ok');
        expect(out).toEqual(fillPattern(at0 + off, len));
        expect(p.memory.read(at0 + off, out).status).toBe('ok'); // second time from a cached plan
        expect(out).toEqual(fillPattern(at0 + off, len));
      }),
      { numRuns: 150 },
    );
    const past = new Uint8Array(64);
    expect(p.memory.read(WIN + 1024 * MiB - 32, past).status).toBe('unroutable');
    expect(past.subarray(0, 32)).toEqual(fillPattern(WIN + 1024 * MiB - 32, 32));
    expect(past.subarray(32).every((b) => b === 0xff)).toBe(true);
  });
  it('addresses past the committed region are unroutable: all-ones, a detail, an error step in the trace', async () => {
    const steps: StepTraceRecord[] = [];
    const statuses: number[] = [];
    const sink: TraceSink = { nodeId: () => 0, access: (...a) => statuses.push(a[8]), mailbox: () => {}, step: (s) => steps.push(s) };
    const p = build(defaultTopology('interleave2'), { clock: new VirtualClock(), sink });
    commitDecoder(hdmOf(p, 'hb0'), 0, { base: WIN, size: 512 * MiB, ways: 2, granularity: 256, targets: [0, 1] });
    const out = new Uint8Array(64).fill(7);
    const r = await p.memRead(hpa(WIN + 1024 * MiB), out);
    expect(r.status).toBe('unroutable');
    expect(r.detail).toMatch(/hb0: no committed HDM decoder claims HPA 0x1040000000/);
    expect(out.every((b) => b === 0xff)).toBe(true);
    const r2 = await p.memRead(hpa(WIN), out); // the HB routes, but the endpoint has no decoder yet
    expect(r2.detail).toMatch(/hb0\.rp0\.ep0: HDM Decoder Enable is clear/);
    expect((await p.memWrite(hpa(0x1000), out)).detail).toMatch(/no CFMWS window claims HPA 0x1000/);
    expect(steps.map((s) => s.verdict)).toEqual(['fail', 'fail', 'fail']);
    expect(statuses.every((s) => s === 1)).toBe(true);
  });
  it('a poisoned line reads back with status poison, naming the device and DPA', async () => {
    const p = setup(256);
    p.node('hb0.rp1.ep0')!.type3!.backend.inject.injectPoison(0x100, 64);
    const out = new Uint8Array(4096);
    const r = await p.memRead(hpa(WIN), out); // HPA 0x300..0x33f is ep1's DPA 0x100..0x13f
    expect(r).toEqual({ status: 'poison', detail: 'CFMWS0 -> hb0 dec0 -> hb0.rp1 -> hb0.rp1.ep0 dec0 DPA 0x100: poisoned' });
    expect((await p.memRead(hpa(WIN + 0x1000), out)).status).toBe('ok');
  });
  it('decommitting drops the cached route', async () => {
    const p = setup(256);
    const out = new Uint8Array(16);
    expect((await p.memRead(hpa(WIN), out)).status).toBe('ok');
    const ep1 = hdmOf(p, 'hb0.rp1.ep0');
    ep1.block.write(0x20, 4, 0); // decoder 0 Control: clear Commit
    expect((await p.memRead(hpa(WIN), out)).status).toBe('ok'); // HPA 0 is on ep0
    expect((await p.memRead(hpa(WIN + 256), out)).status).toBe('unroutable');
  });
});

describe('memory path: switches at any depth', () => {
  it('switch4: host bridge pass-through, 4-way at the USP', async () => {
    const p = build(defaultTopology('switch4'), { clock: new VirtualClock() });
    const g = 512;
    for (const i of [0, 1, 2, 3]) commitDecoder(hdmOf(p, `hb0.rp0.sw0.dsp${i}.ep0`), 0, { base: WIN, size: 2048 * MiB, ways: 4, granularity: g });
    commitDecoder(hdmOf(p, 'hb0.rp0.sw0.usp'), 0, { base: WIN, size: 2048 * MiB, ways: 4, granularity: g, targets: [2, 0, 3, 1] });
    const at = WIN + 1536 * MiB - 3000;
    const n = 20_000;
    expect(await p.memWrite(hpa(at), fillPattern(at, n))).toMatchObject({ status: 'ok' });
    const order = [2, 0, 3, 1];
    expectPlacement(p, at, n, (h) => [`hb0.rp0.sw0.dsp${order[interleavePosition(h, 4, g)]}.ep0`, hpaToDpaOffset(h, WIN, 4, g)]);
  });

  it('two levels (HB 2-way, each root port a 2-way switch) and a nested switch, with 3-way below', async () => {
    const ep = (serial: number) => ({ capacity: { volatile: '1GiB' }, serial });
    const r = loadTopology({
      hostBridges: [
        {
          uid: 5,
          rootPorts: [
            { port: 0, switch: { downstreamPorts: [{ port: 0, endpoint: ep(1) }, { port: 1, endpoint: ep(2) }] } },
            { port: 1, switch: { downstreamPorts: [{ port: 4, endpoint: ep(3) }, { port: 5, switch: { downstreamPorts: [{ port: 0, endpoint: ep(4) }] } }] } },
          ],
        },
      ],
      windows: [{ base: '0x2000000000', size: '16GiB', targets: [5] }],
    });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const p = build(r.topology, { clock: new VirtualClock() });
    const base = 0x20_0000_0000;
    const size = 4096 * MiB;
    const g = 256;
    const eps = ['hb0.rp0.sw0.dsp0.ep0', 'hb0.rp0.sw0.dsp1.ep0', 'hb0.rp1.sw0.dsp4.ep0', 'hb0.rp1.sw0.dsp5.sw0.dsp0.ep0'];
    for (const e of eps) commitDecoder(hdmOf(p, e), 0, { base, size, ways: 4, granularity: g });
    commitDecoder(hdmOf(p, 'hb0'), 0, { base, size, ways: 2, granularity: g, targets: [0, 1] });
    commitDecoder(hdmOf(p, 'hb0.rp0.sw0.usp'), 0, { base, size, ways: 2, granularity: 2 * g, targets: [0, 1] });
    commitDecoder(hdmOf(p, 'hb0.rp1.sw0.usp'), 0, { base, size, ways: 2, granularity: 2 * g, targets: [4, 5] });
    commitDecoder(hdmOf(p, 'hb0.rp1.sw0.dsp5.sw0.usp'), 0, { base, size, ways: 1, granularity: 4 * g, targets: [0] });
    const at = base + 7 * g + 3;
    const n = 40 * g;
    expect((await p.memWrite(hpa(at), fillPattern(at, n))).status).toBe('ok');
    // Endpoint index = HB position + 2 * switch position; with IG doubling per level that is position mod 4.
    expectPlacement(p, at, n, (h) => {
      const hb = interleavePosition(h, 2, g);
      const sw = interleavePosition(h, 2, 2 * g);
      return [eps[hb * 2 + sw], hpaToDpaOffset(h, base, 4, g)];
    });
    const back = new Uint8Array(n);
    expect((await p.memRead(hpa(at), back)).detail).toMatch(/^CFMWS0 -> hb0 dec0 -> hb0\.rp1 -> hb0\.rp1\.sw0\.usp dec0 -> hb0\.rp1\.sw0\.dsp5 -> hb0\.rp1\.sw0\.dsp5\.sw0\.usp dec0 -> /);
    expect(back).toEqual(fillPattern(at, n));
  });

  it('3-way interleave across three root ports (modulo 3)', async () => {
    const r = loadTopology({
      hostBridges: [{ uid: 0, rootPorts: [0, 1, 2].map((i) => ({ port: i, endpoint: { capacity: { volatile: '256MiB' }, serial: i } })) }],
      windows: [{ size: '3GiB', targets: [0] }],
    });
    if (!r.ok) throw new Error('bad topology');
    const p = build(r.topology, { clock: new VirtualClock() });
    const base = r.topology.windows[0].base + 768 * MiB; // a base that is not a multiple of 3 x granularity
    const g = 1024;
    for (const i of [0, 1, 2]) commitDecoder(hdmOf(p, `hb0.rp${i}.ep0`), 0, { base, size: 768 * MiB, ways: 3, granularity: g });
    expect(commitDecoder(hdmOf(p, 'hb0'), 0, { base, size: 768 * MiB, ways: 3, granularity: g, targets: [0, 1, 2] }) & CTRL.committed).toBe(CTRL.committed);
    const at = base + 5 * g - 9;
    const n = 12 * g;
    await p.memWrite(hpa(at), fillPattern(at, n));
    expectPlacement(p, at, n, (h) => [`hb0.rp${interleavePosition(h, 3, g)}.ep0`, hpaToDpaOffset(h, base, 3, g)]);
    // Each endpoint's 256 MiB is fully used by the region: the last byte maps to its last DPA.
    const last = base + 768 * MiB - 1;
    const one = new Uint8Array([0xab]);
    expect((await p.memWrite(hpa(last) as Hpa, one)).detail).toMatch(/DPA 0xfffffff$/);
  });
});
