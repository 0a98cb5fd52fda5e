// cxl-list against real `cxl list -vvv` output: each QEMU 7.2 + Linux 6.1 capture's topology runs on the
// emulator, and the JSON the bench prints (before and after a pmem region made the way the capture made it)
// uses exactly the key paths real ndctl printed — none invented, none missing.
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../common/clock.js';
import { buildPlatform } from '../../emulator/topology/index.js';
import { loadTopology } from '../../emulator/topology/load.js';
import { regionRun } from '../../host/sequences/region/index.js';
import { QEMU_FIXTURE_NAMES, qemuFixtureDir, readQemuCapture } from '../../main/qemu/qemu-fixture.js';
import { platformContext, platformCxlList } from '../../main/regions/region-bench.js';

/** Every key path, numbers in names folded ("ports:port3" -> "ports:port#"). */
function keyPaths(v: unknown, at = '', out = new Set<string>()): Set<string> {
  if (Array.isArray(v)) v.forEach((x) => keyPaths(x, `${at}[]`, out));
  else if (v && typeof v === 'object')
    for (const [k, x] of Object.entries(v)) {
      const p = `${at}.${k.replace(/\d+/g, '#')}`;
      out.add(p);
      keyPaths(x, p, out);
    }
  return out;
}
const minus = (a: Set<string>, b: Set<string>): string[] => [...a].filter((x) => !b.has(x)).sort();

describe('cxl-list has the field names of real `cxl list -vvv` (QEMU 7.2 + Linux 6.1 captures)', () => {
  const all = new Set<string>();
  for (const n of QEMU_FIXTURE_NAMES) {
    const c = readQemuCapture(qemuFixtureDir(n));
    keyPaths(c.cxlList, '', all);
    if (c.cxlListRegions) keyPaths(c.cxlListRegions, '', all);
  }
  it.each(QEMU_FIXTURE_NAMES)('%s: before and after a pmem region', async (name) => {
    const cap = readQemuCapture(qemuFixtureDir(name));
    const loaded = loadTopology(cap.topologyJson);
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
    const clock = new VirtualClock();
    const p = buildPlatform(loaded.topology, { clock });
    p.enumerateLikeFirmware();
    const ctx = platformContext(p, { clock, sink: null });
    const before = await platformCxlList(p, ctx, '6.1');
    // Before: the same key paths as the capture, both ways.
    expect(minus(keyPaths(before), keyPaths(cap.cxlList)), 'fields the bench invents').toEqual([]);
    expect(minus(keyPaths(cap.cxlList), keyPaths(before)), 'fields the bench misses').toEqual([]);
    if (!cap.cxlListRegions || !cap.meta.region) return;
    const r = await regionRun(ctx, { kernel: '6.1', mode: 'pmem', granularity: cap.meta.region.granularity, keep: true, memtest: false });
    expect(r.region).not.toBeNull();
    const after = await platformCxlList(p, ctx, '6.1');
    // After: nothing outside what real ndctl prints, and everything the capture printed.
    expect(minus(keyPaths(after), all), 'fields the bench invents').toEqual([]);
    expect(minus(keyPaths(cap.cxlListRegions), keyPaths(after)), 'fields the bench misses').toEqual([]);
    // The region itself, as Linux reported it.
    const region = (after[0] as Record<string, any>)['decoders:root0'][0]['regions:decoder0.0'][0];
    const real = (cap.cxlListRegions as any)[0]['decoders:root0'][0]['regions:decoder0.0'][0];
    expect({ ...region, mappings: undefined }).toEqual({ ...real, mappings: undefined });
    expect(region.mappings.map((m: { position: number }) => m.position).sort()).toEqual(real.mappings.map((m: { position: number }) => m.position).sort());
  });
});
