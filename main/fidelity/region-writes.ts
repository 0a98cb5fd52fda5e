// Figure (c) of a capture: the region a kernel profile programs vs the real `cxl create-region`. From each
// side, the writes to HDM decoder registers (structure 'cxl-hdm-decoder', offset ≥ 0x10 — the decoders, not
// the capability or Global Control) from the first write of a decoder base or size register on: the region's
// programming, in order, keyed by node and register and carrying the value. Same registers, same values, same
// order = the two lists are equal.

import type { AccessEvent } from '../../trace/event.js';
import { StructureIndex } from '../../trace/fidelity/keys.js';

export interface DecoderWrite {
  node: string;
  /** "cxl-hdm-decoder+0x30" (decoder 1 base low, …). */
  register: string;
  value: string;
}

export interface RegionFigure {
  real: DecoderWrite[];
  model: DecoderWrite[];
  equal: boolean;
  /** Index of the first write that differs (or where one list ends), -1 when equal. */
  firstDifference: number;
  /** Writes in the same position with the same register and value. */
  matching: number;
}

const HDM = 'cxl-hdm-decoder';
/** Decoder n base low/high, size low/high (CXL 2.0 8.2.5.12.x): a region's first writes. */
const isBaseOrSize = (rel: number) => rel >= 0x10 && [0x0, 0x4, 0x8, 0xc].includes((rel - 0x10) % 0x20);

export function decoderWrites(events: readonly AccessEvent[], layouts: ReadonlyMap<string, StructureIndex>): DecoderWrite[] {
  const out: DecoderWrite[] = [];
  let started = false;
  for (const e of events) {
    if (e.op !== 'W') continue;
    const s = layouts.get(e.node)?.structureAt(e.region, e.offset);
    if (!s || s.block !== HDM) continue;
    const rel = e.offset - s.base;
    if (rel < 0x10) continue;
    if (!started && !isBaseOrSize(rel)) continue;
    started = true;
    out.push({ node: e.node, register: `${HDM}+0x${rel.toString(16)}`, value: `0x${e.value.toString(16)}` });
  }
  return out;
}

export function regionFigure(real: DecoderWrite[], model: DecoderWrite[]): RegionFigure {
  let matching = 0;
  let first = -1;
  const n = Math.max(real.length, model.length);
  for (let i = 0; i < n; i++) {
    const a = real[i];
    const b = model[i];
    if (a && b && a.node === b.node && a.register === b.register && a.value === b.value) matching++;
    else if (first < 0) first = i;
  }
  return { real, model, equal: first < 0, firstDifference: first, matching };
}
