// Poisoned DPA ranges (CXL 2.0 8.2.9.5.4). The device tracks every poisoned 64-byte line it knows of; the list
// it reports is bounded (Identify "Poison List Maximum Media Error Records"), and poison found beyond that bound
// sets the overflow flag with a timestamp. The memory path asks `overlaps` on every access.

export const POISON_GRANULE = 64;
/** Records the Get Poison List can report (Identify offset 0x3C). */
export const POISON_LIST_MAX = 256;

/** Media Error Record source (CXL 2.0 8.2.9.5.4.1): 0 unknown, 1 external, 2 internal, 3 injected, 7 vendor. */
export const POISON_SOURCE = { unknown: 0, external: 1, internal: 2, injected: 3, vendor: 7 } as const;
export type PoisonSource = keyof typeof POISON_SOURCE;

export interface PoisonRange {
  /** 64-byte aligned DPA. */
  dpa: number;
  /** Bytes, a nonzero multiple of 64. */
  length: number;
  source: PoisonSource;
}

export class PoisonList {
  /** Sorted by DPA, non-overlapping. */
  private ranges: PoisonRange[] = [];
  /** Set when a record could not be listed; cleared when the list fits again (e.g. after Scan Media). */
  overflowTimestamp: bigint | null = null;

  constructor(readonly maxRecords = POISON_LIST_MAX) {}

  get size(): number {
    return this.ranges.length;
  }

  get overflowed(): boolean {
    return this.overflowTimestamp !== null;
  }

  /** The records the device reports (the first `maxRecords` in DPA order). */
  listed(): readonly PoisonRange[] {
    return this.ranges.length > this.maxRecords ? this.ranges.slice(0, this.maxRecords) : this.ranges;
  }

  all(): readonly PoisonRange[] {
    return this.ranges;
  }

  /** Poison `[dpa, dpa+length)`, rounded out to 64-byte lines. Overlapping ranges already poisoned are kept. */
  add(dpa: number, length: number, source: PoisonSource, now: bigint): void {
    const start = Math.floor(dpa / POISON_GRANULE) * POISON_GRANULE;
    const end = Math.ceil((dpa + Math.max(1, length)) / POISON_GRANULE) * POISON_GRANULE;
    // Add only the parts not already covered, so existing records keep their source.
    let cursor = start;
    const fresh: PoisonRange[] = [];
    for (const r of this.ranges) {
      if (r.dpa + r.length <= cursor || r.dpa >= end) continue;
      if (r.dpa > cursor) fresh.push({ dpa: cursor, length: r.dpa - cursor, source });
      cursor = Math.max(cursor, r.dpa + r.length);
    }
    if (cursor < end) fresh.push({ dpa: cursor, length: end - cursor, source });
    if (fresh.length === 0) return;
    this.ranges.push(...fresh);
    this.ranges.sort((a, b) => a.dpa - b.dpa);
    if (this.ranges.length > this.maxRecords && this.overflowTimestamp === null) this.overflowTimestamp = now;
  }

  /** Remove poison from `[dpa, dpa+length)`, splitting records that straddle it. */
  remove(dpa: number, length: number): void {
    const end = dpa + length;
    const out: PoisonRange[] = [];
    for (const r of this.ranges) {
      const rEnd = r.dpa + r.length;
      if (rEnd <= dpa || r.dpa >= end) {
        out.push(r);
        continue;
      }
      if (r.dpa < dpa) out.push({ dpa: r.dpa, length: dpa - r.dpa, source: r.source });
      if (rEnd > end) out.push({ dpa: end, length: rEnd - end, source: r.source });
    }
    this.ranges = out;
    if (this.ranges.length <= this.maxRecords) this.overflowTimestamp = null;
  }

  clear(): void {
    this.ranges = [];
    this.overflowTimestamp = null;
  }

  /** Keep only ranges for which `keep` holds (reset drops injected poison on volatile capacity, for instance). */
  retain(keep: (r: PoisonRange) => boolean): void {
    this.ranges = this.ranges.filter(keep);
    if (this.ranges.length <= this.maxRecords) this.overflowTimestamp = null;
  }

  /** True if any byte of `[dpa, dpa+length)` is poisoned. Hot path: empty list costs one comparison. */
  overlaps(dpa: number, length: number): boolean {
    const n = this.ranges.length;
    if (n === 0) return false;
    const end = dpa + length;
    // Binary search for the last range starting below `end`.
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.ranges[mid].dpa < end) lo = mid + 1;
      else hi = mid;
    }
    const i = lo - 1;
    return i >= 0 && this.ranges[i].dpa + this.ranges[i].length > dpa;
  }

  /** Ranges overlapping `[dpa, dpa+length)`, in DPA order. */
  within(dpa: number, length: number): PoisonRange[] {
    const end = dpa + length;
    return this.ranges.filter((r) => r.dpa < end && r.dpa + r.length > dpa);
  }
}
