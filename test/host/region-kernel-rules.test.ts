// The region sequence follows Linux core/region.c's ways/granularity rules (cxl_port_setup_targets,
// check_interleave_cap) on the emulated platform.

import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../common/clock.js';
import { buildPlatform } from '../../emulator/topology/index.js';
import { loadTopology } from '../../emulator/topology/load.js';
import { regionRun } from '../../host/sequences/region/index.js';
import { levelGranularity } from '../../host/core/region-math.js';
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
