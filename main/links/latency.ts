// Latency statistics of a few timed link requests, for links.test and links.list (microseconds).

import type { LatencyStats } from '../api/contract.js';

/** Summary of samples in microseconds; null when there are none. Percentiles by nearest rank. */
export function latencyStats(samplesUs: readonly number[]): LatencyStats | null {
  if (samplesUs.length === 0) return null;
  const s = [...samplesUs].sort((a, b) => a - b);
  const rank = (p: number): number => s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
  const round = (x: number): number => Math.round(x * 10) / 10;
  return {
    samples: s.length,
    minUs: round(s[0]),
    meanUs: round(s.reduce((a, b) => a + b, 0) / s.length),
    p50Us: round(rank(50)),
    p99Us: round(rank(99)),
    maxUs: round(s[s.length - 1]),
  };
}
