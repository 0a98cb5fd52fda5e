// Bins for the link latency histogram (issue 15): `bins` equal-width bins over [min, max] of the samples.
export interface Histogram {
  lo: number;
  hi: number;
  counts: number[];
}

export function histogram(samples: readonly number[], bins = 24): Histogram | null {
  if (samples.length === 0) return null;
  const lo = Math.min(...samples);
  const hi = Math.max(...samples);
  const counts = new Array<number>(bins).fill(0);
  const w = (hi - lo) / bins || 1;
  for (const s of samples) counts[Math.min(bins - 1, Math.floor((s - lo) / w))]!++;
  return { lo, hi, counts };
}
