// Alignment of two access-key sequences (longest common subsequence, the diff's "equal" lines): which real
// access each model access stands for. Quadratic in time and linear-times-bits in memory, which is fine for one
// device's probe (a few thousand accesses); `maxCells` bounds it.

export interface Alignment {
  /** Pairs (index in a, index in b), increasing in both. */
  pairs: Array<[number, number]>;
}

export function alignKeys(a: readonly string[], b: readonly string[], maxCells = 64_000_000): Alignment {
  // Intern keys so the inner loop compares integers.
  const ids = new Map<string, number>();
  const intern = (s: string) => {
    let v = ids.get(s);
    if (v === undefined) ids.set(s, (v = ids.size));
    return v;
  };
  const A = Int32Array.from(a, intern);
  const B = Int32Array.from(b, intern);
  const n = A.length;
  const m = B.length;
  if (n * m > maxCells) throw new Error(`alignment of ${n} × ${m} accesses exceeds ${maxCells} cells`);
  // Suffix LCS lengths, row by row, keeping the direction bits to walk back.
  const W = m + 1;
  const len = new Int32Array((n + 1) * W);
  for (let i = n - 1; i >= 0; i--) {
    const row = i * W;
    const next = (i + 1) * W;
    for (let j = m - 1; j >= 0; j--) len[row + j] = A[i] === B[j] ? len[next + j + 1]! + 1 : Math.max(len[next + j]!, len[row + j + 1]!);
  }
  const pairs: Array<[number, number]> = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (A[i] === B[j]) {
      pairs.push([i, j]);
      i++;
      j++;
    } else if (len[(i + 1) * W + j]! >= len[i * W + j + 1]!) i++;
    else j++;
  }
  return { pairs };
}
