// HardwareEndpoint: the Target (common/target.ts) for a function on real hardware behind a Link + DeviceMap.
// Host sequences see it exactly as they see an EmulatedTarget.
//
// Widths. Bridges move 32-bit bus words. A 1/2-byte read reads the containing word and extracts the bytes
// (PCI is little-endian: byte k of a dword is bits [8k+7:8k]). A 1/2-byte write uses the link's native sub-word
// access when it has one (sysfs config space); otherwise it is a read-modify-write of the containing word.
// RMW caveat: the other bytes are written back with the values just read, so RW1C bits set in them would be
// cleared; UARTBone's Wishbone master always drives sel = 0xF, so the bridge cannot do better. Host code
// should write W1C status registers with 32-bit accesses. A 64-bit access is two 32-bit bus accesses, low
// dword then high dword (the order CXL 2.0 8.2.2 allows for 64-bit registers accessed as two halves), carried
// as one 2-word incrementing burst: one Etherbone record / one UARTBone command instead of two round trips,
// with the same bus accesses in the same order (a record's reads and a burst's words are issued in sequence).
// A link with native 64-bit access (a mapped sysfs BAR: Link.read64/write64) does one 64-bit load or store.
//
// Tracing: one sink.access per Target access (the access the host asked for, not the bus words), status ok,
// or unclaimed (the map has no window there: reads all-ones, writes dropped), bad-access (crosses a dword), or
// timeout / link-error — traced first, then the promise rejects with LinkFault.

import { allOnesNum, barRegion, regionCode, spaceCode, statusCode, type AccessStatus, type CfgWidth, type Region } from '../common/access.js';
import { LinkFault, type Target } from '../common/target.js';
import type { TraceSink } from '../common/trace-sink.js';
import type { Dpa } from '../common/units.js';
import type { DeviceMap, DeviceMapSpace } from './device-map.js';
import { LinkError, type Link } from './link.js';

const OP_R = 0;
const OP_W = 1;

export class HardwareEndpoint implements Target {
  readonly backend: string;
  private readonly nodeNum: number;

  constructor(
    readonly link: Link,
    readonly map: DeviceMap,
    readonly node: string,
    private readonly sink: TraceSink | null = null,
  ) {
    this.backend = link.uri;
    this.nodeNum = sink ? sink.nodeId(node) : 0;
  }

  cfgRead(offset: number, width: CfgWidth): Promise<number> {
    return this.readSmall('cfg', 'cfg', offset, width);
  }
  cfgWrite(offset: number, width: CfgWidth, value: number): Promise<void> {
    return this.writeSmall('cfg', 'cfg', offset, width, value);
  }
  barRead(bar: number, offset: number, width: CfgWidth): Promise<number> {
    return this.readSmall(barSpace(bar), barRegion(bar), offset, width);
  }
  barWrite(bar: number, offset: number, width: CfgWidth, value: number): Promise<void> {
    return this.writeSmall(barSpace(bar), barRegion(bar), offset, width, value);
  }

  async barRead64(bar: number, offset: number): Promise<bigint> {
    const region = barRegion(bar);
    const addr = this.busAddr(barSpace(bar), offset, 8);
    if (addr === null || offset % 8 !== 0) {
      this.trace(region, offset, 8, OP_R, 0xffff_ffff, 0xffff_ffff, addr === null ? 'unclaimed' : 'bad-access');
      return 0xffff_ffff_ffff_ffffn;
    }
    try {
      if (this.link.read64) {
        const v = await this.link.read64(addr);
        this.trace(region, offset, 8, OP_R, Number(v & 0xffff_ffffn), Number(v >> 32n), 'ok');
        return v;
      }
      const w = await this.link.readBurst(addr, 2);
      const lo = w[0];
      const hi = w[1];
      this.trace(region, offset, 8, OP_R, lo, hi, 'ok');
      return (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);
    } catch (e) {
      throw this.fail(e, region, offset, 8, OP_R, 0xffff_ffff, 0xffff_ffff);
    }
  }

  async barWrite64(bar: number, offset: number, value: bigint): Promise<void> {
    const region = barRegion(bar);
    const lo = Number(value & 0xffff_ffffn);
    const hi = Number((value >> 32n) & 0xffff_ffffn);
    const addr = this.busAddr(barSpace(bar), offset, 8);
    if (addr === null || offset % 8 !== 0) {
      this.trace(region, offset, 8, OP_W, lo, hi, addr === null ? 'unclaimed' : 'bad-access');
      return;
    }
    try {
      if (this.link.write64) await this.link.write64(addr, value & 0xffff_ffff_ffff_ffffn);
      else await this.link.writeBurst(addr, [lo >>> 0, hi >>> 0]);
      this.trace(region, offset, 8, OP_W, lo, hi, 'ok');
    } catch (e) {
      throw this.fail(e, region, offset, 8, OP_W, lo, hi);
    }
  }

  // ---- the memory window (DPA-addressed) ----

  /**
   * Bytes of the board's memory at `dpa` through the map's `mem` window, which holds the device's memory as the
   * CXL.mem path sees it after its HDM decode: byte DPA d at mem.base + d. Untraced here — the platform traces
   * the HPA access, as the emulated memory path does. 'unclaimed' (nothing read: `out` all-ones) when the map
   * has no memory window or the span runs past it. Rejects with LinkFault when the link fails.
   */
  async memRead(dpa: Dpa, out: Uint8Array): Promise<'ok' | 'unclaimed'> {
    const span = this.memSpan(dpa, out.length);
    if (!span) {
      out.fill(0xff);
      return 'unclaimed';
    }
    try {
      const words = await this.link.readBurst(span.addr, span.words);
      const bytes = wordsToBytes(words);
      out.set(bytes.subarray(span.skew, span.skew + out.length));
      return 'ok';
    } catch (e) {
      throw this.fault(e);
    }
  }

  /** Write `data` at `dpa` through the memory window; partial words at either end are read-modify-written. */
  async memWrite(dpa: Dpa, data: Uint8Array): Promise<'ok' | 'unclaimed'> {
    const span = this.memSpan(dpa, data.length);
    if (!span) return 'unclaimed';
    try {
      const bytes = new Uint8Array(span.words * 4);
      const view = new DataView(bytes.buffer);
      const endByte = span.skew + data.length;
      if (span.skew !== 0) view.setUint32(0, await this.link.read32(span.addr), true);
      if (endByte % 4 !== 0 && (span.words > 1 || span.skew === 0)) view.setUint32(4 * (span.words - 1), await this.link.read32(span.addr + 4 * (span.words - 1)), true);
      bytes.set(data, span.skew);
      const words = new Uint32Array(span.words);
      for (let i = 0; i < span.words; i++) words[i] = view.getUint32(4 * i, true);
      await this.link.writeBurst(span.addr, words);
      return 'ok';
    } catch (e) {
      throw this.fault(e);
    }
  }

  private memSpan(dpa: Dpa, length: number): { addr: number; words: number; skew: number } | null {
    const w = this.map.mem;
    const d = dpa as number;
    if (!w || length <= 0 || d < 0 || d + length > w.size) return null;
    const first = Math.floor(d / 4);
    const last = Math.ceil((d + length) / 4);
    return { addr: w.base + 4 * first, words: last - first, skew: d - 4 * first };
  }

  private fault(e: unknown): LinkFault {
    if (e instanceof LinkFault) return e;
    const kind = e instanceof LinkError ? e.kind : 'link-error';
    return new LinkFault(kind, `${this.node}: ${e instanceof Error ? e.message : String(e)}`);
  }

  // ---- internals ----

  private busAddr(space: DeviceMapSpace | null, offset: number, width: number): number | null {
    const w = space ? this.map[space] : undefined;
    if (!w || offset < 0 || offset + width > w.size) return null;
    return w.base + offset;
  }

  private async readSmall(space: DeviceMapSpace | null, region: Region, offset: number, width: CfgWidth): Promise<number> {
    const addr = this.busAddr(space, offset, width);
    const shift = 8 * (offset & 3);
    if (addr === null || (offset & 3) + width > 4 || offset % width !== 0) {
      const v = allOnesNum(width);
      this.trace(region, offset, width, OP_R, v, 0, addr === null ? 'unclaimed' : 'bad-access');
      return v;
    }
    try {
      let v: number;
      if (width === 4) v = (await this.link.read32(addr)) >>> 0;
      else if (this.link.readSub) v = await this.link.readSub(addr, width);
      else v = ((await this.link.read32(addr & ~3)) >>> shift) & allOnesNum(width);
      this.trace(region, offset, width, OP_R, v, 0, 'ok');
      return v;
    } catch (e) {
      throw this.fail(e, region, offset, width, OP_R, allOnesNum(width), 0);
    }
  }

  private async writeSmall(space: DeviceMapSpace | null, region: Region, offset: number, width: CfgWidth, value: number): Promise<void> {
    const addr = this.busAddr(space, offset, width);
    const v = (value & allOnesNum(width)) >>> 0;
    if (addr === null || (offset & 3) + width > 4 || offset % width !== 0) {
      this.trace(region, offset, width, OP_W, v, 0, addr === null ? 'unclaimed' : 'bad-access');
      return;
    }
    try {
      if (width === 4) await this.link.write32(addr, v);
      else if (this.link.writeSub) await this.link.writeSub(addr, width, v);
      else {
        // Read-modify-write of the containing dword (see the header comment for the W1C caveat).
        const word = addr & ~3;
        const shift = 8 * (offset & 3);
        const mask = (allOnesNum(width) << shift) >>> 0;
        const old = await this.link.read32(word);
        await this.link.write32(word, ((old & ~mask) | (v << shift)) >>> 0);
      }
      this.trace(region, offset, width, OP_W, v, 0, 'ok');
    } catch (e) {
      throw this.fail(e, region, offset, width, OP_W, v, 0);
    }
  }

  private trace(region: Region, offset: number, width: number, op: number, lo: number, hi: number, status: AccessStatus): void {
    if (!this.sink) return;
    const space = region === 'cfg' ? 'cfg' : 'mmio';
    this.sink.access(this.nodeNum, spaceCode(space), regionCode(region), offset, width, op, lo >>> 0, hi >>> 0, statusCode(status));
  }

  /** Trace the failed access, then return the LinkFault to reject with. */
  private fail(e: unknown, region: Region, offset: number, width: number, op: number, lo: number, hi: number): LinkFault {
    const kind = e instanceof LinkError ? e.kind : 'link-error';
    this.trace(region, offset, width, op, lo, hi, kind);
    const msg = e instanceof Error ? e.message : String(e);
    return new LinkFault(kind, `${this.node}: ${msg}`);
  }
}

const wordsToBytes = (words: ArrayLike<number>): Uint8Array => {
  const out = new Uint8Array(words.length * 4);
  const v = new DataView(out.buffer);
  for (let i = 0; i < words.length; i++) v.setUint32(4 * i, words[i] >>> 0, true); // bus words are little-endian
  return out;
};

const barSpace = (bar: number): DeviceMapSpace | null => (Number.isInteger(bar) && bar >= 0 && bar <= 5 ? (`bar${bar}` as DeviceMapSpace) : null);
