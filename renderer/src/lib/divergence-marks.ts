// Marks of the divergence overview bar (issue 14): one per hunk, placed by where it falls in the traces (A's
// position, or B's for a hunk of B-only entries), coloured by its first item's kind. Pure, for the renderer and
// its unit test.

import type { CompareHunk } from '../../../main/api/contract.js';

export interface DivergenceMark {
  hunk: number;
  /** 0..1 along the bar. */
  at: number;
  kind: 'value' | 'only-a' | 'only-b' | 'poll-count';
  /** Entries in the hunk. */
  size: number;
}

/** Marks for `hunks`, positioned over traces of `eventsA` / `eventsB` events; at most `max` (every k-th beyond). */
export function divergenceMarks(hunks: readonly CompareHunk[], eventsA: number, eventsB: number, max = 2000): DivergenceMark[] {
  const step = Math.max(1, Math.ceil(hunks.length / max));
  const out: DivergenceMark[] = [];
  for (let i = 0; i < hunks.length; i += step) {
    const h = hunks[i];
    const first = h.items[0];
    if (!first) continue;
    const a = h.items.find((it) => it.a)?.a;
    const at = a ? a.seq / Math.max(1, eventsA) : (h.items.find((it) => it.b)?.b?.seq ?? 0) / Math.max(1, eventsB);
    out.push({ hunk: h.index, at: Math.min(1, Math.max(0, at)), kind: first.kind, size: h.items.length });
  }
  return out;
}
