// Memory-path figures (DESIGN.md 7: HPA reads through a 2-way interleave >= 2 GB/s). Builds the `interleave2`
// default, commits a 1 GiB 2-way region at 256 B granularity (host bridge + both endpoints), fills it a little,
// then times sequential 4 KiB reads over an 8 MiB stretch of the region (wrapping), tracing off (sink null), as
// the bar is stated. Time is this process's CPU time, not wall time (the bench machine is shared). A second
// figure gives SparseMedia alone on the same pattern, the ceiling the routing overhead is measured against.

import { VirtualClock } from '../common/clock.js';
import { CTRL, DEC, decoderOffset, type HdmDecoders } from '../emulator/hdm/index.js';
import { buildPlatform, defaultTopology, type EmulatedPlatform } from '../emulator/topology/index.js';
import { SparseMedia } from '../emulator/media/sparse-media.js';
import { dpa } from '../common/units.js';
import type { Benchmark } from './run.js';

const MiB = 2 ** 20;
/** CPU time of this process (user), so a machine shared by many jobs does not count the time we wait for a core. */
const cpuSeconds = (): number => process.cpuUsage().user / 1e6;
const REGION = 1024 * MiB;
const SPAN = 8 * MiB;

const commit = (h: HdmDecoders, base: number, targets: number[] | null): void => {
  const o = decoderOffset(0);
  const b = h.block;
  b.write(o + DEC.baseLo, 4, base % 2 ** 32);
  b.write(o + DEC.baseHi, 4, Math.floor(base / 2 ** 32));
  b.write(o + DEC.sizeLo, 4, REGION % 2 ** 32);
  b.write(o + DEC.sizeHi, 4, Math.floor(REGION / 2 ** 32));
  if (targets) b.write(o + DEC.listLo, 4, targets[0] | (targets[1] << 8));
  else b.write(4, 4, 2); // endpoint: HDM Decoder Enable
  const ctrl = (1 << 4) | CTRL.targetTypeHostOnly; // IW 1 = 2 ways, IG 0 = 256 B
  b.write(o + DEC.control, 4, ctrl | CTRL.commit);
  if ((b.read(o + DEC.control, 4) & CTRL.committed) === 0) throw new Error(`commit failed: ${h.lastError(0)}`);
};

const interleavedPlatform = (): { p: EmulatedPlatform; base: number } => {
  const t = defaultTopology('interleave2');
  const p = buildPlatform(t, { clock: new VirtualClock(), sink: null });
  const base = t.windows[0].base;
  // Mem_Enable (CXL DVSEC Control bit 2, CXL 2.0 8.1.3.2), as Linux's cxl_hdm_decode_init sets it.
  for (const ep of ['hb0.rp0.ep0', 'hb0.rp1.ep0']) {
    const dvsec = p.node(ep)!.type3!.block('dvsec-cxl-device', 'cfg')!;
    dvsec.write(0x0c, 2, dvsec.read(0x0c, 2) | 4);
  }
  commit(p.node('hb0.rp0.ep0')!.hdm!, base, null);
  commit(p.node('hb0.rp1.ep0')!.hdm!, base, null);
  commit(p.hostBridges[0].regs.hdm!, base, [0, 1]);
  return { p, base };
};

/** GB/s (1e9 bytes per second) of 4 KiB reads by HPA through the committed 2-way region. */
const interleaveReadGbps = (): number => {
  const { p, base } = interleavedPlatform();
  const block = new Uint8Array(4096);
  // Write the stretch so reads hit allocated media pages, not only the shared background page.
  for (let off = 0; off < SPAN; off += 4096) {
    block[0] = off & 0xff;
    p.memory.write(base + off, block);
  }
  const spots = SPAN / 4096;
  const addrs = Array.from({ length: spots }, (_, i) => base + i * 4096);
  for (let i = 0; i < spots; i++) p.memory.read(addrs[i], block); // warm up (JIT, route cache)
  let bytes = 0;
  const t0 = cpuSeconds();
  let elapsed = 0;
  while (elapsed < 1) {
    for (let i = 0; i < spots; i++) {
      const r = p.memory.read(addrs[i], block);
      if (r.status !== 'ok') throw new Error(r.detail);
    }
    bytes += spots * 4096;
    elapsed = cpuSeconds() - t0;
  }
  return bytes / elapsed / 1e9;
};

/** GB/s of the same 4 KiB sequential reads straight from one SparseMedia (no routing): the ceiling. */
const mediaReadGbps = (): number => {
  const m = new SparseMedia(REGION);
  const block = new Uint8Array(4096);
  for (let off = 0; off < SPAN; off += 4096) m.write(dpa(off), block);
  let bytes = 0;
  const t0 = cpuSeconds();
  let elapsed = 0;
  while (elapsed < 0.5) {
    for (let off = 0; off < SPAN; off += 4096) m.read(dpa(off), block);
    bytes += SPAN;
    elapsed = cpuSeconds() - t0;
  }
  return bytes / elapsed / 1e9;
};

export const benchmarks: Benchmark[] = [
  { name: 'memory.interleave_read_gbps', unit: 'GB/s', run: interleaveReadGbps },
  { name: 'memory.media_read_gbps', unit: 'GB/s', run: mediaReadGbps },
];
