// Side-by-side compare (DESIGN.md 5): from the divergent hunks of a comparison, (1) which rows of trace A and
// trace B are divergent and to which hunk item they belong, and (2) which row of B lines up with a row of A
// (and back) so the two virtualised lists scroll together. Between hunks the traces are equal entry by
// entry, so rows advance 1:1 from the last anchor; every item re-anchors the alignment.
import type { CompareHunk, CompareItem } from '../../../main/api/contract.js';

export interface DivergentSpan {
  /** First and one-past-last seq the item covers on this side (a folded poll covers `count` events). */
  start: number;
  end: number;
  hunk: number;
  item: number;
  kind: CompareItem['kind'];
}

interface Anchor {
  a: number;
  b: number;
}

/** Largest index i with key(list[i]) <= x, or -1. */
function lastAtOrBefore<T>(list: readonly T[], x: number, key: (t: T) => number): number {
  let lo = 0;
  let hi = list.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (key(list[mid]!) <= x) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

export class CompareAlignment {
  readonly spansA: DivergentSpan[] = [];
  readonly spansB: DivergentSpan[] = [];
  /** Anchors in A order, and the same points in B order (only-B items repeat an A position). */
  private readonly byA: Anchor[] = [];
  private readonly byB: Anchor[] = [];
  private delta = 0;
  private lastHunk = -1;

  /** Add hunks in order (pages as they arrive). Hunks already added are ignored. */
  add(hunks: readonly CompareHunk[]): void {
    for (const h of hunks) {
      if (h.index <= this.lastHunk) continue;
      this.lastHunk = h.index;
      h.items.forEach((it, i) => this.addItem(h.index, i, it));
    }
    this.byB.sort((x, y) => x.b - y.b || x.a - y.a);
  }

  private anchor(a: number, b: number): void {
    const p = { a, b };
    this.byA.push(p);
    this.byB.push(p);
    this.delta = b - a;
  }

  private addItem(hunk: number, item: number, it: CompareItem): void {
    const { a, b } = it;
    if (a) this.spansA.push({ start: a.seq, end: a.seq + a.count, hunk, item, kind: it.kind });
    if (b) this.spansB.push({ start: b.seq, end: b.seq + b.count, hunk, item, kind: it.kind });
    if (a && b) {
      this.anchor(a.seq, b.seq);
      this.anchor(a.seq + a.count, b.seq + b.count);
    } else if (a) {
      const bAt = a.seq + this.delta; // B does not move while A's extra entries pass
      this.anchor(a.seq, bAt);
      this.anchor(a.seq + a.count, bAt);
    } else if (b) {
      const aAt = b.seq - this.delta;
      this.anchor(aAt, b.seq);
      this.anchor(aAt, b.seq + b.count);
    }
  }

  /** The seq in B that lines up with seq `a` of A. */
  aToB(a: number): number {
    const i = lastAtOrBefore(this.byA, a, (p) => p.a);
    if (i < 0) return a;
    const p = this.byA[i]!;
    return p.b + (a - p.a);
  }

  bToA(b: number): number {
    const i = lastAtOrBefore(this.byB, b, (p) => p.b);
    if (i < 0) return b;
    const p = this.byB[i]!;
    return p.a + (b - p.b);
  }

  /** The divergent item covering `seq` on side A or B, if any. */
  spanAt(side: 'a' | 'b', seq: number): DivergentSpan | null {
    const spans = side === 'a' ? this.spansA : this.spansB;
    const i = lastAtOrBefore(spans, seq, (s) => s.start);
    if (i < 0) return null;
    const s = spans[i]!;
    return seq < s.end ? s : null;
  }
}

/** The hunk index after (dir 1) or before (dir -1) `current`, clamped to [0, count); -1 current means none yet. */
export function stepHunk(current: number, dir: 1 | -1, count: number): number {
  if (count <= 0) return -1;
  if (current < 0) return dir === 1 ? 0 : count - 1;
  return Math.max(0, Math.min(count - 1, current + dir));
}
