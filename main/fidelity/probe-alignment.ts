// Figure (a) of a capture: how closely a kernel profile's linux-probe reproduces the real kernel's probe of
// each device. Both access streams are keyed by structure (trace/fidelity/keys.ts: structure, offset within
// it, op, width — LSA reads included) and aligned (longest common subsequence). The real probe of a device is
// its accesses from the moment a CXL driver first looks for a DVSEC (the first Vendor ID 1E98h word read of
// the whole trace: the PCI core never issues one, so everything before it is enumeration by the PCI core or
// firmware) up to the last access the model's probe accounts for; what follows (`cxl list`, create-region) is
// not the probe. aligned = matched real accesses / real probe accesses; values = aligned reads whose values
// agree / aligned reads.

import type { AccessEvent } from '../../trace/event.js';
import { alignKeys } from '../../trace/fidelity/align.js';
import { StructureIndex } from '../../trace/fidelity/keys.js';
import type { CaptureStreams } from './capture-events.js';
import type { ModelRun } from './model-run.js';

export interface DeviceProbeFigure {
  node: string;
  realProbe: number;
  model: number;
  aligned: number;
  alignedPct: number;
  alignedReads: number;
  valuesEqual: number;
  valuesPct: number;
  /** The first real accesses the model misses and model accesses the real probe lacks (for reading diffs). */
  missed: string[];
  extra: string[];
  /** Aligned reads whose values differ: key, real value, model value. */
  valueDiffs: string[];
}

/** Index (in the whole trace) where the CXL drivers start: the first DVSEC Vendor ID word read. */
export function driverStart(all: readonly AccessEvent[]): number {
  const i = all.findIndex((e) => e.space === 'cfg' && e.op === 'R' && e.width === 2 && e.offset >= 0x100 && e.value === 0x1e98n);
  return i < 0 ? all.length : i;
}

const hex = (v: bigint) => `0x${v.toString(16)}`;

export function probeFigure(node: string, real: CaptureStreams, model: ModelRun): DeviceProbeFigure {
  const start = driverStart(real.all);
  const startSeq = real.all[start]?.seq ?? Infinity;
  const realEv = (real.byNode.get(node) ?? []).filter((e) => e.seq >= startSeq);
  const modelEv = model.byNode.get(node) ?? [];
  const rk = new StructureIndex(real.layouts.get(node));
  const mk = new StructureIndex(model.layouts.get(node));
  const rKeys = realEv.map((e) => rk.key(e));
  const mKeys = modelEv.map((e) => mk.key(e));
  const { pairs } = alignKeys(rKeys, mKeys);
  const lastReal = pairs.length ? pairs[pairs.length - 1]![0] : -1;
  const realProbe = lastReal + 1;
  const matchedReal = new Set(pairs.map((p) => p[0]));
  const matchedModel = new Set(pairs.map((p) => p[1]));
  let reads = 0;
  let equal = 0;
  const valueDiffs: string[] = [];
  for (const [i, j] of pairs) {
    const r = realEv[i]!;
    if (r.op !== 'R') continue;
    reads++;
    if (r.value === modelEv[j]!.value) equal++;
    else if (valueDiffs.length < 40) valueDiffs.push(`${rKeys[i]} real ${hex(r.value)} model ${hex(modelEv[j]!.value)}`);
  }
  const missed: string[] = [];
  for (let i = 0; i < realProbe && missed.length < 40; i++) if (!matchedReal.has(i)) missed.push(`#${i} ${rKeys[i]}`);
  const extra: string[] = [];
  for (let j = 0; j < mKeys.length && extra.length < 40; j++) if (!matchedModel.has(j)) extra.push(`#${j} ${mKeys[j]}`);
  const pct = (a: number, b: number) => (b ? Math.round((1000 * a) / b) / 10 : 100);
  return {
    node,
    realProbe,
    model: modelEv.length,
    aligned: pairs.length,
    alignedPct: pct(pairs.length, realProbe),
    alignedReads: reads,
    valuesEqual: equal,
    valuesPct: pct(equal, reads),
    missed,
    extra,
    valueDiffs,
  };
}
