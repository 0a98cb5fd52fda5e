// The side-by-side compare as one list of aligned rows, like a diff tool: each row holds an event of A, of B,
// or both. Between divergent hunks the traces are equal entry by entry (rows pair 1:1); a hunk's item takes
// max(countA, countB) rows and the shorter side shows gaps there (an event only in A has a gap in B). One
// list means one scroll position, so the two sides cannot drift apart.
import type { CompareHunk, CompareItem } from '../../../main/api/contract.js';

export type RowKind = 'equal' | CompareItem['kind'];

export interface Segment {
  /** First aligned row of the segment and its length in rows. */
  start: number;
  len: number;
  /** First seq of each side and how many of the segment's rows have an event on that side (the rest are gaps). */
  a: number;
  aLen: number;
  b: number;
  bLen: number;
  kind: RowKind;
  /** Hunk and item index for divergent segments; -1 for equal runs. */
  hunk: number;
  item: number;
}

export interface AlignedRow {
  index: number;
  a: number | null;
  b: number | null;
  kind: RowKind;
  hunk: number;
  item: number;
}

/** Largest i with key(list[i]) <= x, or -1 (list sorted by key). */
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

export class AlignedRows {
  readonly segments: Segment[] = [];
  readonly total: number;
  /** First segment of each hunk (by hunk index). */
  private readonly hunkStart = new Map<number, number>();

  /**
   * @param hunks divergent hunks in order (as many as are loaded; past the last one rows pair 1:1)
   * @param a first seq and event count of trace A; likewise `b`
   */
  constructor(hunks: readonly CompareHunk[], a: { first: number; count: number }, b: { first: number; count: number }) {
    let aPos = a.first;
    let bPos = b.first;
    let row = 0;
    const push = (len: number, aLen: number, bLen: number, kind: RowKind, hunk: number, item: number) => {
      if (len <= 0) return;
      if (hunk >= 0 && !this.hunkStart.has(hunk)) this.hunkStart.set(hunk, this.segments.length);
      this.segments.push({ start: row, len, a: aPos, aLen, b: bPos, bLen, kind, hunk, item });
      row += len;
      aPos += aLen;
      bPos += bLen;
    };
    /** Equal rows up to A seq `aTo` / B seq `bTo`; a mismatch (should not happen) shows as one-sided rows. */
    const equalUpTo = (aTo: number, bTo: number) => {
      const dA = Math.max(0, aTo - aPos);
      const dB = Math.max(0, bTo - bPos);
      const eq = Math.min(dA, dB);
      push(eq, eq, eq, 'equal', -1, -1);
      if (dA > eq) push(dA - eq, dA - eq, 0, 'only-a', -1, -1);
      if (dB > eq) push(dB - eq, 0, dB - eq, 'only-b', -1, -1);
    };
    for (const h of hunks) {
      h.items.forEach((it, i) => {
        // A one-sided item sits the same equal distance past the last item on the other side.
        const aAt = it.a ? it.a.seq : aPos + (it.b!.seq - bPos);
        const bAt = it.b ? it.b.seq : bPos + (it.a!.seq - aPos);
        equalUpTo(aAt, bAt);
        const aLen = it.a?.count ?? 0;
        const bLen = it.b?.count ?? 0;
        push(Math.max(aLen, bLen), aLen, bLen, it.kind, h.index, i);
      });
    }
    equalUpTo(a.first + a.count, b.first + b.count);
    this.total = row;
  }

  rowAt(index: number): AlignedRow | null {
    const s = this.segments[lastAtOrBefore(this.segments, index, (x) => x.start)];
    if (!s || index >= s.start + s.len) return null;
    const o = index - s.start;
    return { index, a: o < s.aLen ? s.a + o : null, b: o < s.bLen ? s.b + o : null, kind: s.kind, hunk: s.hunk, item: s.item };
  }

  /** First aligned row of hunk `hunk`, or -1 when that hunk is not loaded. */
  rowOfHunk(hunk: number): number {
    const i = this.hunkStart.get(hunk);
    return i === undefined ? -1 : this.segments[i]!.start;
  }

  /** The aligned row showing seq `seq` of side `side` (the nearest row before it when it is not shown). */
  rowOfSeq(side: 'a' | 'b', seq: number): number {
    const withSide = side === 'a' ? (s: Segment) => s.a : (s: Segment) => s.b;
    const i = lastAtOrBefore(this.segments, seq, withSide);
    const s = this.segments[Math.max(0, i)];
    if (!s) return 0;
    const sideLen = side === 'a' ? s.aLen : s.bLen;
    return s.start + Math.max(0, Math.min(seq - withSide(s), Math.max(0, sideLen - 1), s.len - 1));
  }

  /** The seq range of `side` the rows [first, first+count) show, for paging; null when they show none. */
  seqRange(side: 'a' | 'b', first: number, count: number): [number, number] | null {
    let lo = Infinity;
    let hi = -Infinity;
    const last = Math.min(this.total, first + count) - 1;
    if (last < first) return null;
    for (let i = Math.max(0, lastAtOrBefore(this.segments, first, (x) => x.start)); i < this.segments.length; i++) {
      const s = this.segments[i]!;
      if (s.start > last) break;
      const from = Math.max(first, s.start) - s.start;
      const to = Math.min(last, s.start + s.len - 1) - s.start;
      const base = side === 'a' ? s.a : s.b;
      const n = side === 'a' ? s.aLen : s.bLen;
      if (from < n) {
        lo = Math.min(lo, base + from);
        hi = Math.max(hi, base + Math.min(to, n - 1));
      }
    }
    return lo <= hi ? [lo, hi] : null;
  }
}

/** The hunk index after (dir 1) or before (dir -1) `current`, clamped to [0, count); -1 current means none yet. */
export function stepHunk(current: number, dir: 1 | -1, count: number): number {
  if (count <= 0) return -1;
  if (current < 0) return dir === 1 ? 0 : count - 1;
  return Math.max(0, Math.min(count - 1, current + dir));
}

/** The row cursor after moving `delta` rows in a list of `total` aligned rows; from no cursor (-1) it starts at 0. */
export function moveCursor(cursor: number, delta: number, total: number): number {
  if (total <= 0) return -1;
  if (cursor < 0) return delta >= 0 ? 0 : total - 1;
  return Math.max(0, Math.min(total - 1, cursor + delta));
}
