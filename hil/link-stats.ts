// Counters every Link keeps: requests, bytes each way, retries, timeouts, and a latency histogram with fixed
// buckets (so two links, or two runs, compare bucket for bucket). Latency is measured per request, from the
// moment it was queued to the moment its answer (or, for unacknowledged writes, its last byte) was handed over.

/** Upper bounds of the latency buckets in microseconds; the last bucket is open-ended. */
export const LATENCY_BUCKETS_US: readonly number[] = [
  10, 20, 50, 100, 200, 500, 1_000, 2_000, 5_000, 10_000, 20_000, 50_000, 100_000, 200_000, 500_000, 1_000_000,
];

export interface LinkStatsSnapshot {
  requests: number;
  bytesOut: number;
  bytesIn: number;
  retries: number;
  timeouts: number;
  errors: number;
  /** counts[i] = requests with latency <= LATENCY_BUCKETS_US[i] (and > the previous bound); last = above all. */
  latencyCounts: number[];
  latencyMinUs: number;
  latencyMaxUs: number;
  latencySumUs: number;
}

export class LinkStats {
  requests = 0;
  bytesOut = 0;
  bytesIn = 0;
  retries = 0;
  timeouts = 0;
  errors = 0;
  private readonly counts = new Array<number>(LATENCY_BUCKETS_US.length + 1).fill(0);
  private minUs = Infinity;
  private maxUs = 0;
  private sumUs = 0;

  recordLatency(us: number): void {
    let i = 0;
    while (i < LATENCY_BUCKETS_US.length && us > LATENCY_BUCKETS_US[i]) i++;
    this.counts[i]++;
    if (us < this.minUs) this.minUs = us;
    if (us > this.maxUs) this.maxUs = us;
    this.sumUs += us;
  }

  snapshot(): LinkStatsSnapshot {
    return {
      requests: this.requests,
      bytesOut: this.bytesOut,
      bytesIn: this.bytesIn,
      retries: this.retries,
      timeouts: this.timeouts,
      errors: this.errors,
      latencyCounts: [...this.counts],
      latencyMinUs: this.minUs === Infinity ? 0 : this.minUs,
      latencyMaxUs: this.maxUs,
      latencySumUs: this.sumUs,
    };
  }

  /** Approximate percentile from the histogram: the upper bound of the bucket holding it. */
  percentileUs(p: number): number {
    const n = this.counts.reduce((a, b) => a + b, 0);
    if (n === 0) return 0;
    const want = Math.ceil((p / 100) * n);
    let acc = 0;
    for (let i = 0; i < this.counts.length; i++) {
      acc += this.counts[i];
      if (acc >= want) return i < LATENCY_BUCKETS_US.length ? Math.min(LATENCY_BUCKETS_US[i], this.maxUs) : this.maxUs;
    }
    return this.maxUs;
  }

  reset(): void {
    this.requests = this.bytesOut = this.bytesIn = this.retries = this.timeouts = this.errors = 0;
    this.counts.fill(0);
    this.minUs = Infinity;
    this.maxUs = 0;
    this.sumUs = 0;
  }
}

export const nowUs = (): number => performance.now() * 1000;
