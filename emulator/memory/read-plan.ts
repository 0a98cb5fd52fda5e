// How one read of `length` bytes at an HPA phase is cut across endpoints: each endpoint's pieces form one
// contiguous DPA span (consecutive granules of its decoder), read once into a scratch buffer at `scratchAt`;
// `pieces` then copies scratch ranges to the caller's buffer. Interleave positions and DPA strides repeat every
// INTERLEAVE_PERIOD, so a plan made for one HPA serves every HPA with the same phase in the same interval; only
// the spans' starting DPAs are recomputed per access.

import { floorDiv, hpaToDpaOffset, modFloor } from '../interleave/address-math.js';
import { LANE_BYTES, LANES, type Lane } from './route-cache.js';

export interface PlanSpan {
  lane: Lane;
  /** Offset within the access of this endpoint's first byte. */
  accessOffset: number;
  length: number;
  scratchAt: number;
}

export interface ReadPlan {
  spans: PlanSpan[];
  /** Triples (scratch offset, access offset, length), in access order. */
  pieces: Int32Array;
}

/** Plan a read of `length` bytes at `hpa` over compiled `lanes`; null if an endpoint's pieces are not one span. */
export function buildReadPlan(hpa: number, length: number, lanes: readonly Lane[]): ReadPlan | null {
  const spans: PlanSpan[] = [];
  const spanDpaEnd: number[] = [];
  const spanDpaStart: number[] = [];
  const raw: number[] = [];
  for (let done = 0; done < length; ) {
    const at = hpa + done;
    const q = floorDiv(at, LANE_BYTES);
    const lane = lanes[modFloor(q, LANES)];
    const d = lane.decoder;
    const n = Math.min(length - done, lane.contig - (at - q * LANE_BYTES));
    const dpa = d.dpaBase + hpaToDpaOffset(at, d.base, d.ways, d.granularity);
    let e = spans.findIndex((s) => s.lane.endpoint === lane.endpoint);
    if (e < 0) {
      e = spans.push({ lane, accessOffset: done, length: 0, scratchAt: 0 }) - 1;
      spanDpaStart[e] = dpa;
      spanDpaEnd[e] = dpa;
    } else if (spans[e].lane.decoder !== d || spanDpaEnd[e] !== dpa) {
      return null;
    }
    raw.push(e, dpa - spanDpaStart[e], done, n);
    spanDpaEnd[e] = dpa + n;
    spans[e].length += n;
    done += n;
  }
  let at = 0;
  for (const s of spans) {
    s.scratchAt = at;
    at += s.length;
  }
  const pieces = new Int32Array((raw.length / 4) * 3);
  for (let i = 0, j = 0; i < raw.length; i += 4, j += 3) {
    pieces[j] = spans[raw[i]].scratchAt + raw[i + 1];
    pieces[j + 1] = raw[i + 2];
    pieces[j + 2] = raw[i + 3];
  }
  return { spans, pieces };
}
