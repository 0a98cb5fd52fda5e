import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { regionRun } from '../../host/sequences/region/index.js';
import { interleavePosition, positionOfOffset } from '../../host/core/region-math.js';
import { u32 } from '../../host/core/bytes.js';
import { FakePlatform } from './fake-platform.js';
import { makeCtx } from './run-env.js';

const ctxFor = (p: FakePlatform) => makeCtx([...p.targets().values()], p);

describe('region on a fake 2-way platform (one host bridge, two root ports)', () => {
  it('programs endpoint and host-bridge decoders, passes the memory test and tears down', async () => {
    const p = new FakePlatform();
    const ctx = ctxFor(p);
    const r = await regionRun(ctx);
    expect(ctx.steps.filter((s) => s.verdict === 'fail')).toEqual([]);
    expect(r.region).toMatchObject({ base: 0x10_0000_0000, ways: 2, granularity: 256, size: 512 * 2 ** 20 });
    expect(r.region!.targets).toEqual([
      { position: 0, node: 'hb0.rp0.ep0', decoder: 0, dpa: 0, skip: 0 },
      { position: 1, node: 'hb0.rp1.ep0', decoder: 0, dpa: 0, skip: 0 },
    ]);
    expect(r.memtest).toEqual({ bytes: 64 * 1024, errors: 0 });
    // commit order: ep0, then the host bridge, then ep1 (bottom-up per endpoint); reset in reverse
    const commits = ctx.steps.filter((s) => s.name.startsWith('commit')).map((s) => s.name);
    expect(commits).toEqual(['commit hb0.rp0.ep0 decoder 0', 'commit hb0 decoder 0', 'commit hb0.rp1.ep0 decoder 0']);
    const resets = ctx.steps.filter((s) => s.name.startsWith('reset')).map((s) => s.name);
    expect(resets).toEqual(['reset hb0 decoder 0', 'reset hb0.rp1.ep0 decoder 0', 'reset hb0.rp0.ep0 decoder 0']);
    expect(u32(p.chbcr, 0x1100 + 0x20) & (1 << 10)).toBe(0);
    expect(ctx.progressCalls.length).toBeGreaterThan(0);
  });

  it('leaves the decoders committed with the kernel’s values when asked to keep the region', async () => {
    const p = new FakePlatform();
    const ctx = ctxFor(p);
    await regionRun(ctx, { keep: true, testBytes: 8192 });
    const hbCtrl = u32(p.chbcr, 0x1100 + 0x20);
    expect((hbCtrl >>> 4) & 0xf).toBe(1); // 2-way
    expect(hbCtrl & 0xf).toBe(0); // 256 B
    expect(u32(p.chbcr, 0x1100 + 0x24) & 0xffff).toBe(0x0100); // targets: port 0, port 1
    for (const ep of p.eps) {
      const c = u32(ep.bar0, 0x1200 + 0x20);
      expect(c & (1 << 10)).not.toBe(0);
      expect((c >>> 4) & 0xf).toBe(1);
    }
    // data really interleaves: the first 256 B land on ep0, the next 256 B on ep1
    const at = (a: number) => {
      const r = p.route(a);
      return typeof r === 'string' ? r : `${r.ep.node}@${r.dpa}`;
    };
    expect([0x10_0000_0000, 0x10_0000_0100, 0x10_0000_0200].map(at)).toEqual(['hb0.rp0.ep0@0', 'hb0.rp1.ep0@0', 'hb0.rp0.ep0@256']);
  });

  it('an endpoint whose commit fails reports Error Not Committed and unwinds what was committed', async () => {
    const p = new FakePlatform({ device: { commitFails: true } });
    const ctx = ctxFor(p);
    const r = await regionRun(ctx);
    expect(r.region).toBeNull();
    const f = ctx.steps.find((s) => s.verdict === 'fail')!;
    expect(f.name).toBe('commit hb0.rp0.ep0 decoder 0');
    expect(f.reason).toContain('error -5 committing decoder');
    expect(f.evidence).toContain('Error Not Committed=1');
  });

  it('without a platform the region sequence fails with a reason', async () => {
    const ctx = makeCtx([]);
    const r = await regionRun(ctx);
    expect(r.region).toBeNull();
    expect(ctx.steps[0]!.reason).toContain('needs a platform');
  });
});

describe('region arithmetic', () => {
  it('positions route every HPA chunk to the endpoint of position (chunk mod N)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 3 }), fc.nat(10_000), (ways, chunk) => {
        const n = ways.reduce((a, b) => a * b, 1);
        // route the chunk level by level as the decoders do: level l takes floor(c / Π ways above) mod ways_l
        let mult = 1;
        const levels = ways.map((w) => {
          const k = Math.floor(chunk / mult) % w;
          mult *= w;
          return { k, ways: w };
        });
        return interleavePosition(levels) === positionOfOffset(chunk * 256, 256, n);
      }),
    );
  });
});
