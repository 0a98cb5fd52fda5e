import { afterAll, describe, expect, it } from 'vitest';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { VirtualClock } from '../../common/clock.js';
import { createType3, defaultType3Config } from '../../emulator/type3/index.js';
import { checkLink, DEFAULT_BRIDGE_MAP, openHardwareEndpoint } from '../../hil/hardware-target.js';
import { startEtherboneSim } from '../../hil/sim/etherbone-sim.js';

const dir = join(process.cwd(), 'test-results', `hil-target-${process.pid}`);
mkdirSync(dir, { recursive: true });
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('hardware specs and link checks', () => {
  it('checkLink reads the Vendor/Device ID the simulated device has and reports latency', async () => {
    const fn = createType3(defaultType3Config(), new VirtualClock()).fn;
    const sim = await startEtherboneSim({ model: fn, map: DEFAULT_BRIDGE_MAP });
    try {
      const r = await checkLink(sim.uri, { reads: 8 });
      expect(r.error).toBeNull();
      expect(r.ok).toBe(true);
      expect(Number(r.id)).toBe(fn.cfgRead(0, 4));
      expect(r.latency!.samples).toBe(8);
      expect(r.readsPerSecond).toBeGreaterThan(0);
    } finally {
      await sim.close();
    }
  });

  it('checkLink reports a failure as ok=false with the reason, not a rejection', async () => {
    const r = await checkLink('etherbone+udp://127.0.0.1:9', { timeoutMs: 100 });
    expect(r.ok).toBe(false);
    expect(r.error).toMatch(/probe/);
    expect((await checkLink('bogus:thing')).error).toMatch(/unknown scheme/);
  });

  it('openHardwareEndpoint loads a csr.csv map file and reads through it', async () => {
    const fn = createType3(defaultType3Config(), new VirtualClock()).fn;
    const map = { cfg: { base: 0x9000_0000, size: 0x1000 }, bar0: { base: 0x9001_0000, size: 0x10000 }, bar2: { base: 0x9002_0000, size: 0x1000 } };
    const csv = Object.entries(map).map(([k, w]) => `memory_region,cxl_${k},0x${w.base.toString(16)},${w.size},io`).join('\n');
    const file = join(dir, 'board.csr.csv');
    writeFileSync(file, `# LiteX\n${csv}\n`);
    const sim = await startEtherboneSim({ model: fn, map });
    try {
      const ep = await openHardwareEndpoint({ link: sim.uri, map: file }, 'hb0.rp0.ep0', null);
      expect(await ep.cfgRead(0, 4)).toBe(fn.cfgRead(0, 4));
      expect(await ep.barRead(2, 0, 4)).toBe(fn.barRead(2, 0, 4));
      await ep.link.close();
    } finally {
      await sim.close();
    }
  });

  it('a missing map file is a clear error naming the file', async () => {
    await expect(openHardwareEndpoint({ link: 'etherbone+tcp://127.0.0.1:1', map: join(dir, 'nope.json') }, 'ep', null)).rejects.toThrow(/nope\.json/);
  });
});
