// Memory reads and writes by HPA (common/platform.ts memRead/memWrite): routed CFMWS -> host bridge -> switches
// -> endpoint decoder -> DPA into the endpoint's media, split wherever the interleave moves to another endpoint.
// Never throws. An access that no window or decoder claims stops there with status 'unroutable' (reads of the
// unrouted bytes return all-ones, writes are dropped) and leaves an error step in the trace; a read that touches
// poisoned or inaccessible media completes but reports 'poison'.
//
// Tracing (when a sink is given): one access event per piece on the endpoint's node, space 'mem', region 'hpa',
// offset = HPA, width = the largest of 1/2/4/8 not above the piece, value = its first bytes (trace events carry
// at most 8 bytes); status ok, 'bad-access' for poison, 'unclaimed' on node "platform" for an unroutable piece.

import type { MemAccessResult } from '../../common/platform.js';
import type { TraceSink } from '../../common/trace-sink.js';
import { dpa as asDpa } from '../../common/units.js';
import { floorDiv, hpaToDpaOffset, INTERLEAVE_PERIOD, modFloor } from '../interleave/address-math.js';
import type { MemEndpoint, MemHierarchy } from './hierarchy.js';
import { LANE_BYTES, LANES, RouteCache } from './route-cache.js';
import { buildReadPlan } from './read-plan.js';
import { walkRoute } from './route-walk.js';

const SPACE_MEM = 2; // common/access.ts SPACES
const REGION_HPA = 8; // common/access.ts REGIONS
const ST_OK = 0;
const ST_UNCLAIMED = 1;
const ST_BAD = 2;
export const PLATFORM_NODE = 'platform';

const hex = (n: number): string => `0x${n.toString(16)}`;
/** Longest read that is planned (longer ones take the general path, piece by piece). */
const MAX_PLAN_BYTES = 64 * 1024;
/** Plans kept per compiled interval (one per HPA phase and length seen). */
const MAX_PLANS = 4096;

export class MemoryPath {
  readonly routes: RouteCache;
  private readonly trace: MemTrace | null;

  constructor(
    /** What routes HPAs (read-only for callers: a hardware platform walks it to find hardware endpoints). */
    readonly h: MemHierarchy,
    private readonly sink: TraceSink | null = null,
  ) {
    this.routes = new RouteCache(h);
    this.trace = sink ? new MemTrace(sink) : null;
  }

  read(hpa: number, out: Uint8Array): MemAccessResult {
    return this.gatherRead(hpa, out) ?? this.run(hpa, out, false);
  }

  private scratch = new Uint8Array(0);
  private scratchViews: Uint8Array[] = [];

  /**
   * The fast read: an access inside one compiled interval is cut into pieces, and each endpoint's pieces —
   * consecutive granules of one decoder, so one contiguous DPA span — are read from its media in one go and
   * scattered into `out`. The cut depends only on (HPA mod INTERLEAVE_PERIOD, length), so it is planned once
   * and kept with the interval. Returns null (general path) when the access leaves the interval, is longer
   * than a plan covers, tracing is on, or a span is not plainly readable (poison, media disabled ...).
   */
  private gatherRead(hpa: number, out: Uint8Array): MemAccessResult | null {
    const len = out.length;
    if (this.sink || len === 0 || len > MAX_PLAN_BYTES) return null;
    const c = this.routes.lookup(hpa);
    if (!c.ok || c.lanes === null || hpa + len > c.hi) return null;
    const key = modFloor(hpa, INTERLEAVE_PERIOD) * (MAX_PLAN_BYTES + 1) + len;
    let plan = c.plans.get(key);
    if (plan === undefined) {
      plan = buildReadPlan(hpa, len, c.lanes);
      if (c.plans.size >= MAX_PLANS) c.plans.clear();
      c.plans.set(key, plan);
    }
    if (plan === null) return null;
    if (this.scratch.length < len) {
      const sc = new Uint8Array(Math.ceil(Math.max(len, 4096) / LANE_BYTES) * LANE_BYTES);
      this.scratch = sc;
      this.scratchViews = Array.from({ length: sc.length / LANE_BYTES }, (_, i) => sc.subarray(i * LANE_BYTES, (i + 1) * LANE_BYTES));
    }
    const scratch = this.scratch;
    const spans = plan.spans;
    let firstDpa = 0;
    for (let e = 0; e < spans.length; e++) {
      const sp = spans[e];
      const d = sp.lane.decoder;
      const lo = d.dpaBase + hpaToDpaOffset(hpa + sp.accessOffset, d.base, d.ways, d.granularity);
      if (e === 0) firstDpa = lo;
      const ep = sp.lane.endpoint;
      if (ep.mediaAccess(asDpa(lo), sp.length) !== 'ok') return null;
      ep.read(asDpa(lo), scratch.subarray(sp.scratchAt, sp.scratchAt + sp.length));
    }
    const pc = plan.pieces;
    const views = this.scratchViews;
    for (let i = 0; i < pc.length; i += 3) {
      const from = pc[i];
      const to = pc[i + 1];
      const n = pc[i + 2];
      // Whole 256-byte lanes use a prebuilt view of scratch: a subarray per piece was most of the cost.
      if (n === LANE_BYTES && (from & (LANE_BYTES - 1)) === 0) out.set(views[from >>> 8], to);
      else out.set(scratch.subarray(from, from + n), to);
    }
    return { status: 'ok', detail: `${spans[0].lane.hops} DPA ${hex(firstDpa)}` };
  }

  write(hpa: number, data: Uint8Array): MemAccessResult {
    return this.run(hpa, data, true);
  }

  private run(hpa: number, buf: Uint8Array, isWrite: boolean): MemAccessResult {
    const len = buf.length;
    let done = 0;
    let firstHops: string | null = null;
    let firstDpa = 0;
    let poison: string | undefined;
    while (done < len) {
      const at = hpa + done;
      // One piece: the bytes from `at` that go to one endpoint at contiguous DPAs (fast lane or slow walk).
      const c = this.routes.lookup(at);
      if (!c.ok) return this.fail(at, buf, done, isWrite, c.detail);
      let ep: MemEndpoint;
      let dpa: number;
      let n: number;
      let hops: string;
      const x = c.xor;
      const lanes = x ? x.tables[x.target(at)] : c.lanes;
      if (lanes !== null) {
        const q = floorDiv(at, LANE_BYTES);
        const lane = lanes[modFloor(q, LANES)];
        const d = lane.decoder;
        ep = lane.endpoint;
        dpa = d.dpaBase + hpaToDpaOffset(at, d.base, d.ways, d.granularity);
        n = Math.min(len - done, lane.contig - (at - q * LANE_BYTES), c.hi - at);
        hops = lane.hops;
      } else {
        const r = walkRoute(this.h, at);
        if (!r.ok) return this.fail(at, buf, done, isWrite, r.detail);
        ep = r.endpoint;
        dpa = r.dpa;
        n = Math.min(len - done, LANE_BYTES - modFloor(at, LANE_BYTES), r.hi - at);
        hops = r.hops;
      }
      const part = buf.subarray(done, done + n);
      const verdict = ep.mediaAccess(asDpa(dpa), n);
      if (verdict === 'ok') {
        if (isWrite) ep.write(asDpa(dpa), part);
        else ep.read(asDpa(dpa), part);
      } else {
        if (verdict === 'out-of-range') return this.fail(at, buf, done, isWrite, `${hops} DPA ${hex(dpa)}: beyond the device's capacity`);
        if (verdict === 'poisoned') {
          if (isWrite) ep.write(asDpa(dpa), part);
          else ep.read(asDpa(dpa), part);
        } else if (!isWrite) part.fill(0xff);
        poison ??= `${hops} DPA ${hex(dpa)}: ${verdict}`;
      }
      if (firstHops === null) {
        firstHops = hops;
        firstDpa = dpa;
      }
      this.trace?.piece(ep.path, at, part, isWrite, verdict === 'ok' ? ST_OK : ST_BAD);
      done += n;
    }
    if (poison !== undefined && !isWrite) return { status: 'poison', detail: poison };
    return firstHops === null ? { status: 'ok' } : { status: 'ok', detail: `${firstHops} DPA ${hex(firstDpa)}` };
  }

  private fail(at: number, buf: Uint8Array, done: number, isWrite: boolean, detail: string): MemAccessResult {
    return unroutable(this.trace, at, buf, done, isWrite, detail);
  }
}

/**
 * How memory accesses appear in a trace (the header's rules), with the sink's node ids cached: shared by every
 * platform that moves memory (main/runs/hardware-platform.ts traces a board's pieces the same way).
 */
export class MemTrace {
  private readonly nodeIds = new Map<string, number>();

  constructor(private readonly sink: TraceSink) {}

  private node(path: string): number {
    let id = this.nodeIds.get(path);
    if (id === undefined) {
      id = this.sink.nodeId(path);
      this.nodeIds.set(path, id);
    }
    return id;
  }

  /** One piece on the endpoint `path`: width = the largest of 1/2/4/8 not above it, value = its first bytes. */
  piece(path: string, hpa: number, part: Uint8Array, isWrite: boolean, status: number): void {
    const w = part.length >= 8 ? 8 : part.length >= 4 ? 4 : part.length >= 2 ? 2 : 1;
    let lo = 0;
    let hi = 0;
    for (let i = 0; i < Math.min(4, w); i++) lo |= part[i] << (8 * i);
    for (let i = 4; i < w; i++) hi |= part[i] << (8 * (i - 4));
    this.sink.access(this.node(path), SPACE_MEM, REGION_HPA, hpa, w, isWrite ? 1 : 0, lo >>> 0, hi >>> 0, status);
  }

  /** An unroutable access: an unclaimed access on the platform node, then an error step with the reason. */
  failure(hpa: number, length: number, isWrite: boolean, detail: string): void {
    const w = length >= 8 ? 8 : length >= 4 ? 4 : length >= 2 ? 2 : 1;
    const ones = w >= 4 ? 0xffff_ffff : (1 << (8 * w)) - 1;
    this.sink.access(this.node(PLATFORM_NODE), SPACE_MEM, REGION_HPA, hpa, w, isWrite ? 1 : 0, isWrite ? 0 : ones, !isWrite && w === 8 ? ones : 0, ST_UNCLAIMED);
    this.sink.step({ sequence: 'memory', name: isWrite ? 'write unroutable' : 'read unroutable', verdict: 'fail', reason: detail });
  }
}

/** Stop an access at `done` as unroutable: the rest of a read is all-ones, the failure traced. */
export function unroutable(trace: MemTrace | null, at: number, buf: Uint8Array, done: number, isWrite: boolean, detail: string): MemAccessResult {
  if (!isWrite) buf.fill(0xff, done);
  trace?.failure(at, buf.length - done, isWrite, detail);
  return { status: 'unroutable', detail };
}
