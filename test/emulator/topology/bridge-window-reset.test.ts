import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../common/clock.js';
import { buildPlatform } from '../../../emulator/topology/platform.js';
import { defaultTopology } from '../../../emulator/topology/index.js';

describe('bridge windows at reset', () => {
  it('root port memory and prefetchable windows are closed (base above limit) until software opens them', () => {
    const p = buildPlatform(defaultTopology('single'), { clock: new VirtualClock() });
    const rp = p.target('hb0.rp0')!;
    const memBaseLimit = rp.cfgReadSync(0x20, 4);
    const prefBaseLimit = rp.cfgReadSync(0x24, 4);
    const prefBaseUpper = rp.cfgReadSync(0x28, 4);
    expect((memBaseLimit & 0xfff0) >>> 4).toBe(0xfff); // Memory Base [31:20] all ones
    expect((memBaseLimit >>> 20) & 0xfff).toBe(0); // Memory Limit 0
    expect((prefBaseLimit & 0xfff0) >>> 4).toBe(0xfff);
    expect(prefBaseLimit & 0xf).toBe(1); // 64-bit prefetchable window
    expect(prefBaseUpper >>> 0).toBe(0xffff_ffff);
  });
});
