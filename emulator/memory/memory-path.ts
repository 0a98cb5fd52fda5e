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
import { hpaToDpaOffset } from '../interleave/address-math.js';
import type { MemEndpoint, MemHierarchy } from './hierarchy.js';
import { LANE_BYTES, LANES, RouteCache } from './route-cache.js';
import { walkRoute } from './route-walk.js';

const SPACE_MEM = 2; // common/access.ts SPACES
const REGION_HPA = 8; // common/access.ts REGIONS
const ST_OK = 0;
const ST_UNCLAIMED = 1;
const ST_BAD = 2;
export const PLATFORM_NODE = 'platform';

const hex = (n: number): string => `0x${n.toString(16)}`;

interface Piece {
  endpoint: MemEndpoint;
  dpa: number;
  length: number;
  hops: string;
}

export class MemoryPath {
  readonly routes: RouteCache;
  private readonly nodeIds = new Map<string, number>();

  constructor(
    private readonly h: MemHierarchy,
    private readonly sink: TraceSink | null = null,
  ) {
    this.routes = new RouteCache(h);
  }

  read(hpa: number, out: Uint8Array): MemAccessResult {
    return this.run(hpa, out, false);
  }

  write(hpa: number, data: Uint8Array): MemAccessResult {
    return this.run(hpa, data, true);
  }

  private piece(hpa: number, remaining: number): Piece | string {
    const c = this.routes.lookup(hpa);
    if ('ok' in c) return c.detail;
    if (c.lanes !== null) {
      const off = hpa % LANE_BYTES;
      const lane = c.lanes[Math.floor(hpa / LANE_BYTES) % LANES];
      const d = lane.decoder;
      return {
        endpoint: lane.endpoint,
        dpa: d.dpaBase + hpaToDpaOffset(hpa, d.base, d.ways, d.granularity),
        length: Math.min(remaining, lane.contig - off, c.hi - hpa),
        hops: lane.hops,
      };
    }
    const r = walkRoute(this.h, hpa);
    if (!r.ok) return r.detail;
    return { endpoint: r.endpoint, dpa: r.dpa, length: Math.min(remaining, LANE_BYTES - (hpa % LANE_BYTES), r.hi - hpa), hops: r.hops };
  }

  private run(hpa: number, buf: Uint8Array, isWrite: boolean): MemAccessResult {
    let done = 0;
    let detail: string | undefined;
    let poison: string | undefined;
    while (done < buf.length) {
      const at = hpa + done;
      const p = this.piece(at, buf.length - done);
      if (typeof p === 'string') {
        if (!isWrite) buf.fill(0xff, done);
        if (this.sink) this.traceFailure(at, buf.length - done, isWrite, p);
        return { status: 'unroutable', detail: p };
      }
      const part = buf.subarray(done, done + p.length);
      const verdict = p.endpoint.mediaAccess(asDpa(p.dpa), p.length);
      if (verdict === 'ok' || verdict === 'poisoned') {
        if (isWrite) p.endpoint.write(asDpa(p.dpa), part);
        else p.endpoint.read(asDpa(p.dpa), part);
      } else if (!isWrite) {
        part.fill(0xff);
      }
      if (verdict === 'out-of-range') {
        const why = `${p.hops} DPA ${hex(p.dpa)}: beyond the device's capacity`;
        if (this.sink) this.traceFailure(at, buf.length - done, isWrite, why);
        if (!isWrite) buf.fill(0xff, done);
        return { status: 'unroutable', detail: why };
      }
      if (verdict !== 'ok' && poison === undefined) poison = `${p.hops} DPA ${hex(p.dpa)}: ${verdict}`;
      if (detail === undefined) detail = `${p.hops} DPA ${hex(p.dpa)}`;
      if (this.sink) this.tracePiece(p.endpoint.path, at, part, isWrite, verdict === 'ok' ? ST_OK : ST_BAD);
      done += p.length;
    }
    if (poison !== undefined && !isWrite) return { status: 'poison', detail: poison };
    return detail === undefined ? { status: 'ok' } : { status: 'ok', detail };
  }

  private node(path: string): number {
    let id = this.nodeIds.get(path);
    if (id === undefined) {
      id = this.sink!.nodeId(path);
      this.nodeIds.set(path, id);
    }
    return id;
  }

  private tracePiece(path: string, hpa: number, part: Uint8Array, isWrite: boolean, status: number): void {
    const w = part.length >= 8 ? 8 : part.length >= 4 ? 4 : part.length >= 2 ? 2 : 1;
    let lo = 0;
    let hi = 0;
    for (let i = 0; i < Math.min(4, w); i++) lo |= part[i] << (8 * i);
    for (let i = 4; i < w; i++) hi |= part[i] << (8 * (i - 4));
    this.sink!.access(this.node(path), SPACE_MEM, REGION_HPA, hpa, w, isWrite ? 1 : 0, lo >>> 0, hi >>> 0, status);
  }

  private traceFailure(hpa: number, length: number, isWrite: boolean, detail: string): void {
    const w = length >= 8 ? 8 : length >= 4 ? 4 : length >= 2 ? 2 : 1;
    const ones = w >= 4 ? 0xffff_ffff : (1 << (8 * w)) - 1;
    this.sink!.access(this.node(PLATFORM_NODE), SPACE_MEM, REGION_HPA, hpa, w, isWrite ? 1 : 0, isWrite ? 0 : ones, !isWrite && w === 8 ? ones : 0, ST_UNCLAIMED);
    this.sink!.step({ sequence: 'memory', name: isWrite ? 'write unroutable' : 'read unroutable', verdict: 'fail', reason: detail });
  }
}
