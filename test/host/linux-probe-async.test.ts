// issue 14 "done when": a two-device probe recorded in two different interleavings (linux-probe-async, the
// endpoints probed at once as Linux's asynchronous cxl_pci probe does) aligns ≥ 99 % of the accesses both
// sides made when compared per node; one global alignment does not.
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../common/clock.js';
import { resolveBlock } from '../../emulator/spec/blocks.js';
import { defaultTopology } from '../../emulator/topology/default-topology.js';
import { buildPlatform } from '../../emulator/topology/platform.js';
import type { SequenceContext } from '../../host/sequence.js';
import { linuxProbeAsyncRun } from '../../host/sequences/linux-probe-async.js';
import { compareTraces } from '../../trace/compare/index.js';
import { TraceBuffer } from '../../trace/trace-buffer.js';

async function record(seed: number) {
  const clock = new VirtualClock();
  const buf = new TraceBuffer(clock);
  const platform = buildPlatform(defaultTopology('interleave2'), { clock, sink: buf });
  platform.enumerateLikeFirmware();
  const ctx: SequenceContext = {
    targets: platform.targets(),
    platform,
    sink: buf,
    clock,
    sleep: async (ns) => clock.advance(ns),
    step: (r) => buf.step({ ...r, sequence: 'linux-probe' }),
    progress: () => {},
    signal: new AbortController().signal,
  };
  const r = await linuxProbeAsyncRun(ctx, seed);
  return { buf, layout: platform.layout(), summary: r.summary };
}

/** How many times the recorded order switches from one endpoint to the other. */
function switches(buf: TraceBuffer): number {
  let last = '';
  let n = 0;
  for (const e of buf.events(0, buf.count)) {
    if (e.kind !== 'access' || !/\.ep\d$/.test(e.node)) continue;
    if (last && e.node !== last) n++;
    last = e.node;
  }
  return n;
}

describe('linux-probe-async: two interleavings of the same probe', () => {
  it('interleaves differently per seed and aligns ≥ 99 % per node', async () => {
    const a = await record(1);
    const b = await record(2);
    expect(a.summary).toMatch(/2\/2 memdev\(s\) usable/);
    expect(switches(a.buf)).toBeGreaterThan(100);
    const evA = a.buf.events(0, a.buf.count).filter((e) => e.kind === 'access');
    const evB = b.buf.events(0, b.buf.count).filter((e) => e.kind === 'access');
    expect(evA.length).toBe(evB.length);
    expect(evA.map((e) => e.node)).not.toEqual(evB.map((e) => e.node));
    const opts = { layoutA: a.layout, layoutB: b.layout, resolve: resolveBlock };
    const r = compareTraces(a.buf, b.buf, opts);
    expect(r.alignment.ratio).toBeGreaterThanOrEqual(0.99);
    expect(r.counts.valueDiffers).toBe(0);
    const g = compareTraces(a.buf, b.buf, { ...opts, align: 'global' });
    // (per node: 100 %; one global order: under 2 % — the "41 of 270 k aligned" of the issue.)
    expect(g.alignment.ratio).toBeLessThan(0.5);
    // The same seed twice: equal.
    expect(compareTraces(a.buf, (await record(1)).buf, opts).equal).toBe(true);
  });
});
