// A virtual-time environment for host tests: a VirtualClock whose sleep advances instantly, a step recorder
// and a SequenceContext over a set of targets.

import { VirtualClock } from '../../common/clock.js';
import type { Platform } from '../../common/platform.js';
import type { Target } from '../../common/target.js';
import type { StepTraceRecord } from '../../common/trace-sink.js';
import type { SequenceContext } from '../../host/sequence.js';

export interface TestCtx extends SequenceContext {
  steps: Array<Omit<StepTraceRecord, 'sequence'>>;
  clock: VirtualClock;
  progressCalls: Array<[number, number, string]>;
}

export function makeCtx(targets: Target[], platform: Platform | null = null, clock = new VirtualClock()): TestCtx {
  const steps: TestCtx['steps'] = [];
  const progressCalls: TestCtx['progressCalls'] = [];
  return {
    targets: new Map(targets.map((t) => [t.node, t])),
    platform,
    sink: null,
    clock,
    sleep: async (ns: number) => clock.advance(ns),
    step: (r) => steps.push(r),
    progress: (d, t, p) => progressCalls.push([d, t, p]),
    signal: new AbortController().signal,
    steps,
    progressCalls,
  };
}

export const envOf = (ctx: TestCtx) => ({ sleep: ctx.sleep, now: () => ctx.clock.now(), sink: ctx.sink });

/** Wrap a target so chosen config/BAR dwords read as a forced value (fault injection for any backend). */
export function patchTarget(t: Target, patches: { cfg?: Record<number, number>; bar?: Record<string, number> }): Target {
  const cfg = patches.cfg ?? {};
  const bar = patches.bar ?? {};
  const pick = async (map: Record<string | number, number>, key: string | number, off: number, w: number, real: () => Promise<number>): Promise<number> => {
    const base = off & ~3;
    const k = typeof key === 'number' ? base : `${key}:${base}`;
    if (!(k in map)) return real();
    const v = map[k]!;
    const sh = (off - base) * 8;
    return w === 4 ? v >>> 0 : (v >>> sh) & (2 ** (8 * w) - 1);
  };
  return {
    node: t.node,
    backend: t.backend,
    cfgRead: (o, w) => pick(cfg, o, o, w, () => t.cfgRead(o, w)),
    cfgWrite: (o, w, v) => t.cfgWrite(o, w, v),
    barRead: (b, o, w) => pick(bar, String(b), o, w, () => t.barRead(b, o, w)),
    barWrite: (b, o, w, v) => t.barWrite(b, o, w, v),
    barRead64: async (b, o) => {
      const lo = await pick(bar, String(b), o, 4, async () => Number((await t.barRead64(b, o)) & 0xffff_ffffn));
      const hi = await pick(bar, String(b), o + 4, 4, async () => Number((await t.barRead64(b, o)) >> 32n));
      return (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);
    },
    barWrite64: (b, o, v) => t.barWrite64(b, o, v),
  };
}
