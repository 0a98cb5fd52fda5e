// Regions on an emulated platform for the services (API regions.*, CLI `region`, `cxl-list`, `decode`): a
// SequenceContext over the platform, `cxl list -vvv` JSON of its current state, the decode chain of an HPA,
// and BDFs as firmware assigned them (the names `cxl list` prints).

import type { Clock } from '../../common/clock.js';
import type { StepTraceRecord, TraceSink } from '../../common/trace-sink.js';
import { bdf, formatBdf } from '../../common/units.js';
import type { EmulatedPlatform } from '../../emulator/topology/platform.js';
import { decodeHpa, readDecodeSnapshot, type DecodeChain } from '../../host/core/decode-chain.js';
import { cxlList } from '../../host/cxl-list/cxl-list.js';
import { readMemdevs } from '../../host/cxl-list/read-memdevs.js';
import type { SequenceContext } from '../../host/sequence.js';
import type { KernelId } from '../../host/sequences/region/kernel-rules.js';

/** Topology path -> "0000:BB:DD.F", by walking the buses firmware numbered (untraced model lookups). */
export function platformBdfs(p: EmulatedPlatform): Map<string, string> {
  const out = new Map<string, string>();
  for (let bus = 0; bus < 256; bus++) {
    for (let dev = 0; dev < 32; dev++) {
      const b = bdf(bus, dev, 0);
      const f = p.findFunction(b);
      if (f && !out.has(f.path)) out.set(f.path, `0000:${formatBdf(b)}`);
    }
  }
  return out;
}

export interface BenchContextOptions {
  clock: Clock;
  sink: TraceSink | null;
  step?: (r: Omit<StepTraceRecord, 'sequence'>) => void;
  progress?: (done: number, total: number, phase: string) => void;
  signal?: AbortSignal;
}

/** A SequenceContext over a platform whose clock is virtual (sleep advances it). */
export function platformContext(p: EmulatedPlatform, o: BenchContextOptions & { clock: Clock & { advance(ns: number): void } }): SequenceContext {
  return {
    targets: p.targets(),
    platform: p,
    sink: o.sink,
    clock: o.clock,
    sleep: async (ns) => o.clock.advance(ns),
    step: o.step ?? (() => undefined),
    progress: o.progress ?? (() => undefined),
    signal: o.signal ?? new AbortController().signal,
  };
}

/** `cxl list -vvv` of the platform as it is now. */
export async function platformCxlList(p: EmulatedPlatform, ctx: SequenceContext, kernel?: KernelId): Promise<unknown[]> {
  const snapshot = await readDecodeSnapshot(p, ctx.targets);
  const memdevs = await readMemdevs(snapshot.trees, { sleep: (ns) => ctx.sleep(ns), now: () => ctx.clock.now(), sink: ctx.sink });
  const bdfs = platformBdfs(p);
  const buses = new Map(p.hostBridges.map((h) => [h.uid, h.bus]));
  return cxlList({ snapshot, memdevs, bdfOf: (path) => bdfs.get(path) ?? null, rootBusOf: (uid) => buses.get(uid) ?? null, ...(kernel ? { kernel } : {}) });
}

/** The decode chain of one HPA through the registers as they are now. */
export async function platformDecode(p: EmulatedPlatform, ctx: SequenceContext, hpa: number): Promise<DecodeChain> {
  return decodeHpa(await readDecodeSnapshot(p, ctx.targets), hpa);
}
