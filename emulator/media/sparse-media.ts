// The bytes behind a Type 3 device's DPA space (volatile then persistent partition, CXL 2.0 8.2.9.5.2).
// Sparse: a page is allocated on its first write; unwritten space reads as the background pattern (zeros after
// reset or Secure Erase, the overwrite pattern after Sanitize), so a 512 GiB device costs only what is touched.
// On the HPA memory path (DESIGN.md 7: >= 2 GB/s): page lookups in a Map, copies with subarray/set, no byte loops.

import type { Dpa } from '../../common/units.js';

/** 64 KiB pages: one Map lookup covers a whole 4 KiB access and most interleave granules. */
export const MEDIA_PAGE_SHIFT = 16;
export const MEDIA_PAGE_SIZE = 1 << MEDIA_PAGE_SHIFT;
const PAGE_MASK = MEDIA_PAGE_SIZE - 1;

// Page number: division, not >>>, because DPAs go past 2^32; `addr & PAGE_MASK` is safe (ToInt32 is mod 2^32).

/** Value that reads of bytes beyond `size` return (hardware never throws: out-of-range reads as all-ones). */
const OUT_OF_RANGE_BYTE = 0xff;

export class SparseMedia {
  private readonly pages = new Map<number, Uint8Array>();
  /** What an unallocated page holds. Shared, never written through. */
  private background: Uint8Array = new Uint8Array(MEDIA_PAGE_SIZE);
  private backgroundIsZero = true;

  constructor(public readonly size: number) {}

  /** Copy `out.length` bytes from `dpa`. Bytes past `size` read as 0xFF. */
  read(dpa: Dpa, out: Uint8Array): void {
    let addr = dpa as number;
    let done = 0;
    const inRange = Math.max(0, Math.min(out.length, this.size - addr));
    while (done < inRange) {
      const off = addr & PAGE_MASK;
      const n = Math.min(MEDIA_PAGE_SIZE - off, inRange - done);
      const page = this.pages.get(Math.floor(addr / MEDIA_PAGE_SIZE)) ?? this.background;
      out.set(page.subarray(off, off + n), done);
      done += n;
      addr += n;
    }
    if (done < out.length) out.fill(OUT_OF_RANGE_BYTE, done);
  }

  /** Copy `data` to `dpa`. Bytes past `size` are dropped. */
  write(dpa: Dpa, data: Uint8Array): void {
    let addr = dpa as number;
    let done = 0;
    const inRange = Math.max(0, Math.min(data.length, this.size - addr));
    while (done < inRange) {
      const off = addr & PAGE_MASK;
      const n = Math.min(MEDIA_PAGE_SIZE - off, inRange - done);
      this.pageForWrite(addr).set(data.subarray(done, done + n), off);
      done += n;
      addr += n;
    }
  }

  /** Fill `[dpa, dpa+length)` with one byte value (Clear Poison without data, tests). */
  fillRange(dpa: Dpa, length: number, value: number): void {
    let addr = dpa as number;
    const end = Math.min(this.size, addr + length);
    while (addr < end) {
      const off = addr & PAGE_MASK;
      const n = Math.min(MEDIA_PAGE_SIZE - off, end - addr);
      this.pageForWrite(addr).fill(value, off, off + n);
      addr += n;
    }
  }

  /** Every byte reads zero (Secure Erase, power-on of volatile media). Frees all pages. */
  zeroAll(): void {
    this.pages.clear();
    this.background = new Uint8Array(MEDIA_PAGE_SIZE);
    this.backgroundIsZero = true;
  }

  /**
   * Every byte reads the pattern (Sanitize overwrite, CXL 2.0 8.2.9.5.5.1). A number is one repeated byte; an
   * array repeats from DPA 0. Patterns whose length does not divide the page size are truncated to one that does.
   */
  fill(pattern: number | Uint8Array): void {
    this.pages.clear();
    const bg = new Uint8Array(MEDIA_PAGE_SIZE);
    if (typeof pattern === 'number') {
      bg.fill(pattern & 0xff);
    } else if (pattern.length > 0) {
      let len = 1;
      while (len * 2 <= Math.min(pattern.length, MEDIA_PAGE_SIZE)) len *= 2;
      const unit = pattern.subarray(0, len);
      for (let i = 0; i < MEDIA_PAGE_SIZE; i += len) bg.set(unit, i);
    }
    this.background = bg;
    this.backgroundIsZero = bg.every((b) => b === 0);
  }

  /** Zero `[dpa, dpa+length)` (capacity that changed partition, volatile capacity after a cold reset). */
  zeroRange(dpa: Dpa, length: number): void {
    const start = Math.max(0, dpa as number);
    const end = Math.min(this.size, start + length);
    if (start >= end) return;
    const first = Math.floor(start / MEDIA_PAGE_SIZE);
    const last = Math.floor((end - 1) / MEDIA_PAGE_SIZE);
    if (this.backgroundIsZero) {
      // Unallocated pages already read zero: drop whole pages, touch only allocated partial ones.
      for (const key of [...this.pages.keys()]) {
        if (key < first || key > last) continue;
        const pageStart = key * MEDIA_PAGE_SIZE;
        const from = Math.max(start, pageStart) - pageStart;
        const to = Math.min(end, pageStart + MEDIA_PAGE_SIZE) - pageStart;
        if (from === 0 && to === MEDIA_PAGE_SIZE) this.pages.delete(key);
        else this.pages.get(key)!.fill(0, from, to);
      }
      return;
    }
    this.fillRange(dpa, end - start, 0);
  }

  /** Bytes of host memory the store holds (for the UI's device summary). */
  get allocatedBytes(): number {
    return this.pages.size * MEDIA_PAGE_SIZE;
  }

  private pageForWrite(addr: number): Uint8Array {
    const key = Math.floor(addr / MEDIA_PAGE_SIZE);
    let page = this.pages.get(key);
    if (page === undefined) {
      page = this.backgroundIsZero ? new Uint8Array(MEDIA_PAGE_SIZE) : this.background.slice();
      this.pages.set(key, page);
    }
    return page;
  }
}
