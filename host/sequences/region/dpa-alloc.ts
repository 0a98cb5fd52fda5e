// DPA allocation for one endpoint decoder, as Linux core/hdm.c cxl_dpa_alloc does it: the device's DPA is
// [ram partition][pmem partition] (Get Partition Info's active capacities; CXL 2.0 8.2.9.5.2.1); a ram
// allocation starts after the last ram allocation, a pmem allocation after the last pmem allocation, and the
// decoder's DPA Skip (CXL 2.0 8.2.5.12.20) covers the unallocated DPA between the previous decoder and it.
// Pure: the caller reads the partition sizes and the committed decoders.

import type { RegionKernelRules } from './kernel-rules.js';

export type RegionMode = 'ram' | 'pmem';

/** A committed endpoint decoder's DPA range [start, end). */
export interface DpaRange {
  start: number;
  end: number;
}

export interface Partitions {
  ramBytes: number;
  pmemBytes: number;
}

export type DpaAllocation = { ok: true; start: number; skip: number; avail: number } | { ok: false; errno: string; reason: string };

/** What is free in `mode` (cxl_dpa_alloc's `avail`), before any size is asked for. */
export function dpaAvailable(parts: Partitions, used: readonly DpaRange[], mode: RegionMode): number {
  const { start, end } = freeStart(parts, used, mode);
  return Math.max(0, end - start);
}

function freeStart(parts: Partitions, used: readonly DpaRange[], mode: RegionMode): { start: number; end: number; freeRam: number; pmemUsed: DpaRange[] } {
  const ramEnd = parts.ramBytes;
  const pmemEnd = parts.ramBytes + parts.pmemBytes;
  const ramUsed = used.filter((r) => r.start < ramEnd);
  const pmemUsed = used.filter((r) => r.start >= ramEnd && r.start < pmemEnd);
  const freeRam = ramUsed.reduce((m, r) => Math.max(m, r.end), 0);
  const freePmem = pmemUsed.reduce((m, r) => Math.max(m, r.end), ramEnd);
  return mode === 'ram' ? { start: freeRam, end: ramEnd, freeRam, pmemUsed } : { start: freePmem, end: pmemEnd, freeRam, pmemUsed };
}

/** cxl_dpa_alloc(cxled, size) for a decoder of `mode` after the committed ranges `used`. */
export function dpaAllocate(parts: Partitions, used: readonly DpaRange[], mode: RegionMode, size: number, rules: RegionKernelRules): DpaAllocation {
  const f = freeStart(parts, used, mode);
  const avail = Math.max(0, f.end - f.start);
  const lastEnd = used.reduce((m, r) => Math.max(m, r.end), 0);
  if (mode === 'ram' && f.pmemUsed.length > 0) {
    // Decoders map increasing DPA (CXL 2.0 8.2.5.12.20: DPA base = previous decoder's end + skip).
    return { ok: false, errno: '-EBUSY', reason: `ram allocation after a pmem one: DPA must increase with the decoder index (last decoder ends at 0x${lastEnd.toString(16)})` };
  }
  if (size > avail) return { ok: false, errno: '-ENOSPC', reason: `0x${size.toString(16)} exceeds available ${mode} capacity: 0x${avail.toString(16)}` };
  if (mode === 'ram') return { ok: true, start: f.start, skip: 0, avail };
  // pmem: the skip runs from the end of allocated ram to the start of this allocation, unless pmem already has
  // an allocation that "already handled the skip".
  const first = f.pmemUsed.length === 0;
  if (first || f.freeRam === parts.ramBytes) {
    return { ok: true, start: f.start, skip: f.start - Math.max(f.freeRam, lastEnd), avail };
  }
  if (rules.secondPmemSkip === 'zero') return { ok: true, start: f.start, skip: f.start - lastEnd, avail };
  // v6.1: skip = start - free_ram_start, and __cxl_dpa_reserve requests [start - skip, start + size), which
  // overlaps the earlier pmem allocation.
  return {
    ok: false,
    errno: '-EBUSY',
    reason: `failed to reserve allocation: skip 0x${(f.start - f.freeRam).toString(16)} from free ram at 0x${f.freeRam.toString(16)} overlaps the earlier pmem allocation ending at 0x${lastEnd.toString(16)} (v6.1 cxl_dpa_alloc)`,
  };
}
