// Myers' O((N+M)·D) shortest edit script (Myers 1986, "An O(ND) Difference Algorithm"), bounded by maxD so a
// caller can give up on a window that differs too much. Keys are numbers; equality is ===.

/** Edit script as runs: op 0 match, 1 only in A (delete), 2 only in B (insert); `len` entries each. */
export interface Run {
  op: 0 | 1 | 2;
  len: number;
}

/** The script turning a[aFrom, aTo) into b[bFrom, bTo), or null when it needs more than maxD edits. */
export function myersScript(
  a: ArrayLike<number>,
  aFrom: number,
  aTo: number,
  b: ArrayLike<number>,
  bFrom: number,
  bTo: number,
  maxD: number,
): Run[] | null {
  const n = aTo - aFrom;
  const m = bTo - bFrom;
  const max = Math.min(maxD, n + m);
  const off = max + 1;
  const v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  let found = -1;
  for (let d = 0; d <= max && found < 0; d++) {
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[off + k - 1] < v[off + k + 1]) ? v[off + k + 1] : v[off + k - 1] + 1;
      let y = x - k;
      while (x < n && y < m && a[aFrom + x] === b[bFrom + y]) {
        x++;
        y++;
      }
      v[off + k] = x;
      if (x >= n && y >= m) {
        found = d;
        break;
      }
    }
    trace.push(v.slice(off - d - 1, off + d + 2)); // diagonals -d-1 .. d+1
  }
  if (found < 0) return null;

  // Walk back from (n, m), collecting steps in reverse.
  const rev: number[] = [];
  let x = n;
  let y = m;
  for (let d = found; d > 0; d--) {
    const prev = trace[d - 1]; // index of diagonal k is k + d (since prev spans -(d-1)-1 .. )
    const at = (k: number): number => prev[k + d];
    const k = x - y;
    const down = k === -d || (k !== d && at(k - 1) < at(k + 1));
    const pk = down ? k + 1 : k - 1;
    const px = at(pk);
    const py = px - pk;
    while (x > px + (down ? 0 : 1) && y > py + (down ? 1 : 0)) {
      rev.push(0);
      x--;
      y--;
    }
    rev.push(down ? 2 : 1);
    x = px;
    y = py;
  }
  while (x > 0 && y > 0) {
    rev.push(0);
    x--;
    y--;
  }
  const runs: Run[] = [];
  for (let i = rev.length - 1; i >= 0; i--) {
    const op = rev[i] as 0 | 1 | 2;
    const last = runs[runs.length - 1];
    if (last && last.op === op) last.len++;
    else runs.push({ op, len: 1 });
  }
  return runs;
}
