// Region memory-path figures (issue 13): HPA reads through a region the host model created (regionRun, kept,
// no memory test) on `xor2` (2 host bridges under an XOR window x 2 root ports: 4-way, the host bridge chosen
// per access by the CXIMS XORMAPs) and `way6` (3-way modulo window x 2-way host bridges). Sequential 4 KiB
// reads over 8 MiB, tracing off, CPU time — the same pattern as memory.interleave_read_gbps.

import { VirtualClock } from '../common/clock.js';
import { buildPlatform, defaultTopology } from '../emulator/topology/index.js';
import type { DefaultTopologyName } from '../emulator/topology/defaults/index.js';
import { regionRun } from '../host/sequences/region/index.js';
import { platformContext } from '../main/regions/region-bench.js';
import type { Benchmark } from './run.js';

const MiB = 2 ** 20;
const SPAN = 8 * MiB;
const cpuSeconds = (): number => process.cpuUsage().user / 1e6;

async function regionReadGbps(name: DefaultTopologyName): Promise<number> {
  const clock = new VirtualClock();
  const p = buildPlatform(defaultTopology(name), { clock, sink: null });
  p.enumerateLikeFirmware();
  const r = await regionRun(platformContext(p, { clock, sink: null }), { keep: true, memtest: false });
  if (!r.region) throw new Error(`${name}: ${r.summary}`);
  const base = r.region.base;
  const block = new Uint8Array(4096);
  for (let off = 0; off < SPAN; off += 4096) {
    block[0] = off & 0xff;
    p.memory.write(base + off, block);
  }
  const spots = SPAN / 4096;
  for (let i = 0; i < spots; i++) p.memory.read(base + i * 4096, block);
  let bytes = 0;
  const t0 = cpuSeconds();
  let elapsed = 0;
  while (elapsed < 1) {
    for (let i = 0; i < spots; i++) {
      const res = p.memory.read(base + i * 4096, block);
      if (res.status !== 'ok') throw new Error(res.detail);
    }
    bytes += SPAN;
    elapsed = cpuSeconds() - t0;
  }
  return bytes / elapsed / 1e9;
}

export const benchmarks: Benchmark[] = [
  { name: 'regions.xor_read_gbps', unit: 'GB/s', run: () => regionReadGbps('xor2') },
  { name: 'regions.way6_read_gbps', unit: 'GB/s', run: () => regionReadGbps('way6') },
];
