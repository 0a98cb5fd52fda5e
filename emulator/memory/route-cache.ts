// Compiled routes: the memory path's fast lane (DESIGN.md 7: >= 2 GB/s through a 2-way region).
// Interleave positions repeat every INTERLEAVE_PERIOD (768 KiB) of HPA at every level, and so do the decoders'
// DPA strides. So for an HPA interval in which the same decoders apply at every level, one walk per 256-byte
// lane of one period gives the whole mapping: lane = floor(HPA / 256) mod 3072 -> (endpoint, decoder), plus
// how many bytes from the lane's start stay on that endpoint with contiguous DPAs (so a bulk access moves in
// as few pieces as the interleave allows). Any decoder change clears the cache (HdmDecoders.onChange).

import type { CommittedDecoder } from '../hdm/commit-checks.js';
import { INTERLEAVE_PERIOD, floorDiv, modFloor, targetPosition } from '../interleave/address-math.js';
import { lowestBit, pow2Ways } from '../../common/interleave-math.js';
import type { MemEndpoint, MemHierarchy } from './hierarchy.js';
import type { ReadPlan } from './read-plan.js';
import { walkRoute, type RouteFail } from './route-walk.js';

export const LANE_BYTES = 256;
export const LANES = INTERLEAVE_PERIOD / LANE_BYTES;

export interface Lane {
  endpoint: MemEndpoint;
  decoder: CommittedDecoder;
  hops: string;
  /** Bytes from the lane's first byte that go to the same endpoint at contiguous DPAs. */
  contig: number;
}

/**
 * An XOR window's host-bridge choice does not repeat every INTERLEAVE_PERIOD (its XORMAPs read high HPA bits),
 * but everything below the host bridge does: one lane table per root target, chosen per access by the XOR
 * arithmetic. Lanes never run past a root granule (the next granule may go to another host bridge).
 */
export interface XorLanes {
  ways: number;
  granularity: number;
  maps: readonly number[];
  /** The window's base (the root selection counts chunks from it). */
  base: number;
  tables: Lane[][];
  /** The root target of an HPA (common/interleave-math targetPosition, specialised for this window). */
  target(hpa: number): number;
}

/** HPAs [lo, hi) decode through the same decoders; `lanes` null means "walk each access" (mixed routes). */
export interface CompiledInterval {
  ok: true;
  lo: number;
  hi: number;
  lanes: Lane[] | null;
  /** Set (and `lanes` null) for an XOR window compiled per host bridge. */
  xor?: XorLanes;
  /** Read plans by (HPA mod period, length): see read-plan.ts. Null entries: not plannable. */
  plans: Map<number, ReadPlan | null>;
}

export class RouteCache {
  private intervals: CompiledInterval[] = [];
  private last: CompiledInterval | null = null;
  /** Compiles since creation (for tests and the benchmark report). */
  compiles = 0;

  constructor(private readonly h: MemHierarchy) {
    for (const d of h.decoders) d.onChange(() => this.clear());
  }

  clear(): void {
    this.intervals = [];
    this.last = null;
  }

  /** The compiled interval holding `hpa`, or why `hpa` cannot be routed. */
  lookup(hpa: number): CompiledInterval | RouteFail {
    const l = this.last;
    if (l !== null && hpa >= l.lo && hpa < l.hi) return l;
    for (const c of this.intervals) {
      if (hpa >= c.lo && hpa < c.hi) return (this.last = c);
    }
    const c = this.compile(hpa);
    if (!c.ok) return c;
    this.intervals.push(c);
    return (this.last = c);
  }

  private compile(hpa: number): CompiledInterval | RouteFail {
    this.compiles++;
    const first = walkRoute(this.h, hpa);
    if (!first.ok) return first;
    const slow: CompiledInterval = { ok: true, lo: first.lo, hi: first.hi, lanes: null, plans: new Map() };
    if (first.hi - first.lo < INTERLEAVE_PERIOD) return slow;
    const w = this.h.windows.find((x) => hpa >= x.base && hpa < x.base + x.size);
    if (w?.xorMaps && w.xorMaps.length && w.targets.length > 1) return this.compileXor(hpa, first.lo, first.hi, w.targets.length, w.granularity, w.xorMaps, w.base) ?? slow;
    let lo = first.lo;
    let hi = first.hi;
    const start = Math.floor(Math.max(lo, Math.min(hpa, hi - INTERLEAVE_PERIOD)) / LANE_BYTES) * LANE_BYTES;
    const byStep: (Lane & { dpa: number })[] = [];
    for (let j = 0; j < LANES; j++) {
      const r = walkRoute(this.h, start + j * LANE_BYTES);
      if (!r.ok) return slow;
      lo = Math.max(lo, r.lo);
      hi = Math.min(hi, r.hi);
      byStep.push({ endpoint: r.endpoint, decoder: r.decoder, hops: r.hops, contig: LANE_BYTES, dpa: r.dpa });
    }
    if (hpa < lo || hpa >= hi || start < lo || start + INTERLEAVE_PERIOD > hi) return slow;
    for (let j = LANES - 2; j >= 0; j--) {
      const a = byStep[j];
      const b = byStep[j + 1];
      if (a.endpoint === b.endpoint && a.decoder === b.decoder && b.dpa === a.dpa + LANE_BYTES) a.contig = LANE_BYTES + b.contig;
    }
    const lanes = new Array<Lane>(LANES);
    const first0 = floorDiv(start, LANE_BYTES);
    byStep.forEach((s, j) => {
      lanes[modFloor(first0 + j, LANES)] = { endpoint: s.endpoint, decoder: s.decoder, hops: s.hops, contig: s.contig };
    });
    return { ok: true, lo, hi, lanes, plans: new Map() };
  }

  private compileXor(hpa: number, lo0: number, hi0: number, ways: number, granularity: number, maps: readonly number[], base: number): CompiledInterval | null {
    let lo = lo0;
    let hi = hi0;
    const start = Math.floor(Math.max(lo, Math.min(hpa, hi - INTERLEAVE_PERIOD)) / LANE_BYTES) * LANE_BYTES;
    const first0 = floorDiv(start, LANE_BYTES);
    const tables: Lane[][] = [];
    for (let t = 0; t < ways; t++) {
      const byStep: (Lane & { dpa: number })[] = [];
      for (let j = 0; j < LANES; j++) {
        const r = walkRoute(this.h, start + j * LANE_BYTES, t);
        if (!r.ok) return null;
        lo = Math.max(lo, r.lo);
        hi = Math.min(hi, r.hi);
        byStep.push({ endpoint: r.endpoint, decoder: r.decoder, hops: r.hops, contig: LANE_BYTES, dpa: r.dpa });
      }
      for (let j = LANES - 2; j >= 0; j--) {
        const a = byStep[j];
        const b = byStep[j + 1];
        const granuleEnds = modFloor(start + (j + 1) * LANE_BYTES, granularity) === 0;
        if (!granuleEnds && a.endpoint === b.endpoint && a.decoder === b.decoder && b.dpa === a.dpa + LANE_BYTES) a.contig = LANE_BYTES + b.contig;
      }
      const lanes = new Array<Lane>(LANES);
      byStep.forEach((s, j) => {
        lanes[modFloor(first0 + j, LANES)] = { endpoint: s.endpoint, decoder: s.decoder, hops: s.hops, contig: s.contig };
      });
      tables.push(lanes);
    }
    if (hpa < lo || hpa >= hi || start < lo || start + INTERLEAVE_PERIOD > hi) return null;
    return { ok: true, lo, hi, lanes: null, xor: { ways, granularity, maps, base, tables, target: xorTargetFn(ways, granularity, maps, base) }, plans: new Map() };
  }
}

const parity32 = (v: number): number => {
  let x = v ^ (v >>> 16);
  x ^= x >>> 8;
  x ^= x >>> 4;
  return (0x6996 >>> (x & 0xf)) & 1;
};

/**
 * The XOR root target of an HPA, fast when the maps are the usual shape (map i's lowest set bit is HPA bit
 * 8+IG+i, the bit it replaces, and the window base is aligned past those bits): bit i of the target is the
 * parity of HPA & map i, plus 2^k x (chunk / 2^k mod 3) for 3/6/12 ways. Otherwise the general
 * targetPosition. Equal to it either way (test/emulator/memory/xor-route.test.ts).
 */
export function xorTargetFn(ways: number, granularity: number, maps: readonly number[], base: number): (hpa: number) => number {
  const k = Math.round(Math.log2(pow2Ways(ways)));
  const used = maps.slice(0, k);
  const lowBit = Math.round(Math.log2(granularity));
  const usual = used.length === k && used.every((m, i) => lowestBit(m) === lowBit + i) && base % (granularity * ways * 4) === 0;
  if (!usual) return (h) => targetPosition(h, ways, granularity, used, base);
  const lo = Int32Array.from(used, (m) => m % 2 ** 32 | 0);
  const hi = Int32Array.from(used, (m) => Math.floor(m / 2 ** 32) | 0);
  const mod3 = ways % 3 === 0;
  const block = granularity * 2 ** k;
  return (h) => {
    const hh = Math.floor(h / 4294967296);
    const ll = (h - hh * 4294967296) | 0;
    let t = 0;
    for (let i = 0; i < k; i++) t |= parity32((ll & lo[i]!) ^ (hh & hi[i]!)) << i;
    return mod3 ? t + 2 ** k * modFloor(floorDiv(h - base, block), 3) : t;
  };
}
