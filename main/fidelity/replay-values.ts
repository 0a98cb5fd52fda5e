// Figure (b) of a capture: the real guest's whole access stream (firmware, PCI core, CXL drivers, cxl list,
// create-region) issued, in order, to our emulated platform of the same topology with one device profile —
// not enumerated first, the trace carries the firmware's own cycles — and every read's answer compared with the
// value QEMU gave. Reads of time-dependent fields are masked and listed (`masked`).

import { VirtualClock } from '../../common/clock.js';
import type { Width } from '../../common/access.js';
import type { Platform } from '../../common/platform.js';
import { hpa } from '../../common/units.js';
import type { DeviceProfile } from '../../emulator/type3/config.js';
import type { AccessEvent } from '../../trace/event.js';
import { StructureIndex } from '../../trace/fidelity/keys.js';
import { TraceBuffer } from '../../trace/trace-buffer.js';
import { buildEnvironmentFromJson } from '../runs/environment.js';
import { barIndex, type CaptureStreams } from './capture-events.js';

export interface ReplayFigure {
  reads: number;
  equal: number;
  pct: number;
  /** Masked reads by reason (time-dependent values). */
  masked: Record<string, number>;
  /** Accesses this platform could not take (no such node or region), by node. */
  skipped: Record<string, number>;
  /** Differing reads grouped by structure key (count, first real / ours values). */
  diffs: Array<{ key: string; count: number; real: string; ours: string; node: string }>;
  perNode: Record<string, { reads: number; equal: number }>;
}

/** Structure keys whose values depend on time (QEMU's virtual clock), not on the device model. */
const TIME_DEPENDENT: ReadonlyArray<{ key: RegExp; why: string }> = [];

interface ChbcrPlatform extends Platform {
  chbcrBase(hbPath: string): number | undefined;
}

const lo32 = (v: bigint): number => Number(v & 0xffff_ffffn);
const mask = (w: number): bigint => (w >= 8 ? (1n << 64n) - 1n : (1n << BigInt(8 * w)) - 1n);

export async function replayFigure(topologyJson: string, profile: DeviceProfile, real: CaptureStreams, extraMasks: ReadonlyArray<{ key: RegExp; why: string }> = []): Promise<ReplayFigure> {
  const clock = new VirtualClock();
  const env = buildEnvironmentFromJson(topologyJson, clock, new TraceBuffer(clock), { profile, enumerate: false });
  const p = env.platform as ChbcrPlatform;
  const out: ReplayFigure = { reads: 0, equal: 0, pct: 0, masked: {}, skipped: {}, diffs: [], perNode: {} };
  const diffs = new Map<string, ReplayFigure['diffs'][number]>();
  const keys = new Map<string, StructureIndex>();
  const keyOf = (e: AccessEvent): string => {
    let k = keys.get(e.node);
    if (!k) keys.set(e.node, (k = new StructureIndex(real.layouts.get(e.node))));
    return k.key(e);
  };
  const masks = [...TIME_DEPENDENT, ...extraMasks];
  let lastNs = 0;
  for (const e of real.all) {
    if (e.timeNs > lastNs) {
      clock.advance(e.timeNs - lastNs);
      lastNs = e.timeNs;
    }
    const got = await issue(e, env.targets, p);
    if (got === undefined) {
      out.skipped[e.node] = (out.skipped[e.node] ?? 0) + 1;
      continue;
    }
    if (e.op !== 'R') continue;
    const key = keyOf(e);
    const m = masks.find((x) => x.key.test(key));
    if (m) {
      out.masked[m.why] = (out.masked[m.why] ?? 0) + 1;
      continue;
    }
    const pn = (out.perNode[e.node] ??= { reads: 0, equal: 0 });
    out.reads++;
    pn.reads++;
    if ((got & mask(e.width)) === (e.value & mask(e.width))) {
      out.equal++;
      pn.equal++;
      continue;
    }
    const dk = `${e.node} ${key}`;
    const d = diffs.get(dk);
    if (d) d.count++;
    else diffs.set(dk, { key, node: e.node, count: 1, real: `0x${e.value.toString(16)}`, ours: `0x${got.toString(16)}` });
  }
  out.pct = out.reads ? Math.round((1000 * out.equal) / out.reads) / 10 : 100;
  out.diffs = [...diffs.values()].sort((a, b) => b.count - a.count);
  return out;
}

/** Issue one access; the value read (0 for writes), or undefined when nothing here takes it. */
async function issue(e: AccessEvent, targets: ReadonlyMap<string, import('../../common/target.js').Target>, p: ChbcrPlatform): Promise<bigint | undefined> {
  const t = targets.get(e.node);
  const w = e.width as Width;
  const write = e.op === 'W';
  if (e.space === 'cfg') {
    if (!t || w === 8) return undefined;
    if (write) {
      await t.cfgWrite(e.offset, w, lo32(e.value));
      return 0n;
    }
    return BigInt(await t.cfgRead(e.offset, w));
  }
  const bar = barIndex(e.region);
  if (bar !== undefined) {
    if (!t) return undefined;
    if (w === 8) {
      if (write) {
        await t.barWrite64(bar, e.offset, e.value);
        return 0n;
      }
      return t.barRead64(bar, e.offset);
    }
    if (write) {
      await t.barWrite(bar, e.offset, w, lo32(e.value));
      return 0n;
    }
    return BigInt(await t.barRead(bar, e.offset, w));
  }
  if (e.region === 'chbcr') {
    const base = p.chbcrBase?.(e.node);
    if (base === undefined) return undefined;
    if (w === 8) {
      // Platform MMIO is at most 32 bits: two halves.
      if (write) {
        await p.mmioWrite(base + e.offset, 4, lo32(e.value));
        await p.mmioWrite(base + e.offset + 4, 4, lo32(e.value >> 32n));
        return 0n;
      }
      return BigInt(await p.mmioRead(base + e.offset, 4)) | (BigInt(await p.mmioRead(base + e.offset + 4, 4)) << 32n);
    }
    if (write) {
      await p.mmioWrite(base + e.offset, w, lo32(e.value));
      return 0n;
    }
    return BigInt(await p.mmioRead(base + e.offset, w));
  }
  if (e.region === 'hpa' && e.space === 'mem') {
    const bytes = new Uint8Array(w);
    if (write) {
      for (let i = 0; i < w; i++) bytes[i] = Number((e.value >> BigInt(8 * i)) & 0xffn);
      await p.memWrite(hpa(e.offset), bytes);
      return 0n;
    }
    await p.memRead(hpa(e.offset), bytes);
    let v = 0n;
    for (let i = w - 1; i >= 0; i--) v = (v << 8n) | BigInt(bytes[i]!);
    return v;
  }
  return undefined;
}
