// Alignment of two key sequences that stays near-linear on long, mostly similar traces (DESIGN.md 5):
//
// 1. Greedy: walk both sequences while keys match.
// 2. At a mismatch, run a bounded Myers diff on windows starting there (64 entries, growing ×4 up to 16 Ki)
//    and accept its script up to the first point after an edit where RESYNC keys match in a row — the
//    traces are back in step — then continue greedily. Cost per divergence ~ window × edits.
// 3. If no window resynchronises (a long insertion, a rewritten stretch), find patience anchors on the rest:
//    keys that occur exactly once on each side, longest increasing subsequence of their positions; align
//    the gaps between anchors by the same procedure. If no anchors exist either, the window is reported as
//    replaced (only-in-A then only-in-B) and the walk goes on.
//
// The result is run-length: op 0 match, 1 only in A, 2 only in B.

import { myersScript, type Run } from './myers.js';

const RESYNC = 8;
const WINDOW0 = 64;
const WINDOW_MAX = 16384;
const MAX_EDITS = 512;

export class RunList {
  op: number[] = [];
  len: number[] = [];

  push(op: number, len: number): void {
    if (len <= 0) return;
    const last = this.op.length - 1;
    if (last >= 0 && this.op[last] === op) this.len[last] += len;
    else {
      this.op.push(op);
      this.len.push(len);
    }
  }
}

type Keys = ArrayLike<number>;

export function alignKeys(a: Keys, b: Keys): RunList {
  const out = new RunList();
  walk(a, 0, a.length, b, 0, b.length, out, 0);
  return out;
}

/** Index (in entries of the window) to cut the script at: start of the first RESYNC-long match after an edit. */
function resyncCut(script: Run[]): { runs: number; aLen: number; bLen: number } | null {
  let seenEdit = false;
  let aLen = 0;
  let bLen = 0;
  for (let i = 0; i < script.length; i++) {
    const r = script[i];
    if (r.op === 0 && seenEdit && r.len >= RESYNC) return { runs: i, aLen, bLen };
    if (r.op !== 0) seenEdit = true;
    if (r.op !== 2) aLen += r.len;
    if (r.op !== 1) bLen += r.len;
  }
  return null;
}

function walk(a: Keys, i: number, aEnd: number, b: Keys, j: number, bEnd: number, out: RunList, depth: number): void {
  // Once the rest has no unique common keys, do not look again (keeps a fully rewritten trace linear).
  let anchorsTried = false;
  for (;;) {
    const k = commonRun(a, i, aEnd, b, j, bEnd);
    out.push(0, k);
    i += k;
    j += k;
    if (i === aEnd || j === bEnd) {
      out.push(1, aEnd - i);
      out.push(2, bEnd - j);
      return;
    }
    let resynced = false;
    for (let w = WINDOW0; ; w *= 4) {
      const wa = Math.min(w, aEnd - i);
      const wb = Math.min(w, bEnd - j);
      const toEnd = i + wa === aEnd && j + wb === bEnd;
      const script = myersScript(a, i, i + wa, b, j, j + wb, Math.min(MAX_EDITS, 2 * w));
      if (script) {
        const cut = toEnd ? { runs: script.length, aLen: wa, bLen: wb } : resyncCut(script);
        if (cut) {
          for (let r = 0; r < cut.runs; r++) out.push(script[r].op, script[r].len);
          i += cut.aLen;
          j += cut.bLen;
          resynced = true;
          break;
        }
      }
      if (toEnd || w >= WINDOW_MAX) break;
    }
    if (resynced) continue;
    if (depth < 8 && !anchorsTried) {
      anchorsTried = true;
      if (patience(a, i, aEnd, b, j, bEnd, out, depth)) return;
    }
    const wa = Math.min(WINDOW_MAX, aEnd - i);
    const wb = Math.min(WINDOW_MAX, bEnd - j);
    out.push(1, wa);
    out.push(2, wb);
    i += wa;
    j += wb;
  }
}

/** Length of the common run of a[i..aEnd) and b[j..bEnd) (its own small function: called once per divergence,
 *  it is optimised early rather than by replacing a long-running loop). */
function commonRun(a: Keys, i: number, aEnd: number, b: Keys, j: number, bEnd: number): number {
  const n = Math.min(aEnd - i, bEnd - j);
  let k = 0;
  while (k < n && a[i + k] === b[j + k]) k++;
  return k;
}

/** Align via unique-key anchors; false when there are none. */
function patience(a: Keys, aFrom: number, aEnd: number, b: Keys, bFrom: number, bEnd: number, out: RunList, depth: number): boolean {
  // Count occurrences: -1 marks "seen more than once".
  const inA = new Map<number, number>();
  for (let x = aFrom; x < aEnd; x++) {
    const k = a[x];
    inA.set(k, inA.has(k) ? -1 : x);
  }
  const inB = new Map<number, number>();
  for (let y = bFrom; y < bEnd; y++) {
    const k = b[y];
    if (!inA.has(k) || inA.get(k)! < 0) continue;
    inB.set(k, inB.has(k) ? -1 : y);
  }
  // Candidate pairs in A order.
  const pa: number[] = [];
  const pb: number[] = [];
  for (let x = aFrom; x < aEnd; x++) {
    const y = inB.get(a[x]);
    if (y !== undefined && y >= 0 && inA.get(a[x]) === x) {
      pa.push(x);
      pb.push(y);
    }
  }
  if (pa.length === 0) return false;
  // Longest increasing subsequence of pb (patience sorting with predecessor links).
  const tails: number[] = [];
  const prev = new Int32Array(pa.length).fill(-1);
  for (let p = 0; p < pb.length; p++) {
    let lo = 0;
    let hi = tails.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (pb[tails[mid]] < pb[p]) lo = mid + 1;
      else hi = mid;
    }
    if (lo > 0) prev[p] = tails[lo - 1];
    tails[lo] = p;
  }
  const chain: number[] = [];
  for (let p = tails[tails.length - 1]; p >= 0; p = prev[p]) chain.push(p);
  chain.reverse();
  let x = aFrom;
  let y = bFrom;
  for (const p of chain) {
    walk(a, x, pa[p], b, y, pb[p], out, depth + 1);
    out.push(0, 1);
    x = pa[p] + 1;
    y = pb[p] + 1;
  }
  walk(a, x, aEnd, b, y, bEnd, out, depth + 1);
  return true;
}
