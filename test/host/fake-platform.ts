// A small Platform for host region tests, independent of emulator/topology: one host bridge (CHBS + CHBCR with
// an HDM decoder structure), root ports with PCIe port numbers, FakeType3 endpoints, one CFMWS, and an HPA
// path that routes through the committed decoders' registers (HB target list, endpoint interleave) into
// per-endpoint byte maps. Misprogrammed decoders make accesses unroutable.

import type { MemAccessResult, Platform } from '../../common/platform.js';
import type { Target } from '../../common/target.js';
import type { Bdf, Hpa } from '../../common/units.js';
import { put16, put32, put64, u32 } from '../../host/core/bytes.js';
import { FakeType3, type FakeOptions } from './fake-type3.js';

export class FakeRootPort implements Target {
  readonly backend = 'fake';
  readonly cfg = new Uint8Array(4096);
  constructor(
    readonly node: string,
    port: number,
  ) {
    put16(this.cfg, 0, 0x8086);
    put16(this.cfg, 2, 0x7075);
    put32(this.cfg, 8, 0x060400 << 8);
    this.cfg[0x0e] = 1;
    put16(this.cfg, 6, 0x10);
    this.cfg[0x34] = 0x40;
    put16(this.cfg, 0x40, 0x0010);
    put16(this.cfg, 0x42, 0x0042); // PCIe cap v2, Root Port
    put32(this.cfg, 0x4c, (port << 24) | 0x0081);
  }
  async cfgRead(o: number, w: 1 | 2 | 4) {
    return w === 1 ? this.cfg[o]! : w === 2 ? this.cfg[o]! | (this.cfg[o + 1]! << 8) : u32(this.cfg, o);
  }
  async cfgWrite() {}
  async barRead(_b: number, _o: number, w: 1 | 2 | 4) {
    return 2 ** (8 * w) - 1;
  }
  async barWrite() {}
  async barRead64() {
    return 0xffff_ffff_ffff_ffffn;
  }
  async barWrite64() {}
}

const CHBCR = 0x9000_0000;
const HB_HDM = 0x1100;

export interface FakePlatformOptions {
  endpoints?: number;
  windowBase?: number;
  windowSize?: number;
  granularity?: number;
  device?: FakeOptions;
}

export class FakePlatform implements Platform {
  readonly chbcr = new Uint8Array(0x10000);
  readonly eps: FakeType3[] = [];
  readonly rps: FakeRootPort[] = [];
  readonly mem = new Map<FakeType3, Map<number, number>>();
  private readonly map = new Map<string, Target>();
  readonly o: Required<Omit<FakePlatformOptions, 'device'>> & { device: FakeOptions };

  constructor(opts: FakePlatformOptions = {}) {
    this.o = { endpoints: 2, windowBase: 0x10_0000_0000, windowSize: 4 * 2 ** 30, granularity: 256, device: {}, ...opts };
    for (let i = 0; i < this.o.endpoints; i++) {
      const rp = new FakeRootPort(`hb0.rp${i}`, i);
      const ep = new FakeType3(`hb0.rp${i}.ep0`, this.o.device);
      this.rps.push(rp);
      this.eps.push(ep);
      this.mem.set(ep, new Map());
      this.map.set(rp.node, rp);
      this.map.set(ep.node, ep);
    }
    put32(this.chbcr, 0x1000, (1 << 24) | (1 << 20) | (1 << 16) | 1);
    put32(this.chbcr, 0x1004, (0x100 << 20) | (1 << 16) | 5);
    put32(this.chbcr, HB_HDM, 2 | (8 << 4) | (1 << 8) | (1 << 9)); // 4 decoders, 8 targets
  }

  targets(): ReadonlyMap<string, Target> {
    return this.map;
  }

  cedt(): Uint8Array {
    const b = new Uint8Array(36 + 0x20 + 0x28);
    b.set([0x43, 0x45, 0x44, 0x54]);
    put32(b, 4, b.length);
    let at = 36;
    b[at] = 0;
    put16(b, at + 2, 0x20);
    put32(b, at + 4, 7); // UID 7
    put32(b, at + 8, 1);
    put64(b, at + 0x10, CHBCR);
    put64(b, at + 0x18, 0x10000);
    at += 0x20;
    b[at] = 1;
    put16(b, at + 2, 0x28);
    put64(b, at + 8, this.o.windowBase);
    put64(b, at + 0x10, this.o.windowSize);
    b[at + 0x18] = 0;
    put32(b, at + 0x1c, Math.log2(this.o.granularity / 256));
    put16(b, at + 0x20, 0x6);
    put32(b, at + 0x24, 7);
    return b;
  }

  async cfgRead(_b: Bdf, _o: number, w: 1 | 2 | 4) {
    return 2 ** (8 * w) - 1;
  }
  async cfgWrite() {}
  async mmioRead(addr: number, w: 1 | 2 | 4) {
    const o = addr - CHBCR;
    if (o < 0 || o + w > this.chbcr.length) return 2 ** (8 * w) - 1;
    return w === 4 ? u32(this.chbcr, o) : w === 2 ? this.chbcr[o]! | (this.chbcr[o + 1]! << 8) : this.chbcr[o]!;
  }
  async mmioWrite(addr: number, w: 1 | 2 | 4, v: number) {
    const o = addr - CHBCR;
    if (w !== 4 || o < 0 || o >= this.chbcr.length) return;
    const rel = o - HB_HDM;
    if (rel >= 0x10 && rel < 0x10 + 0x20 * 4 && (rel - 0x10) % 0x20 === 0x10) {
      put32(this.chbcr, o, (v & 0x13ff) | (v & (1 << 9) ? 1 << 10 : 0));
      return;
    }
    if (rel === 0) return;
    put32(this.chbcr, o, v);
  }

  /** HPA → (endpoint, DPA) through the committed decoders, or why not. */
  route(addr: number): { ep: FakeType3; dpa: number } | string {
    const hd = HB_HDM + 0x10;
    const ctrl = u32(this.chbcr, hd + 0x10);
    if (!(ctrl & (1 << 10))) return 'host bridge decoder 0 not committed';
    const base = (u32(this.chbcr, hd) & 0xf000_0000) + u32(this.chbcr, hd + 4) * 2 ** 32;
    const size = (u32(this.chbcr, hd + 8) & 0xf000_0000) + u32(this.chbcr, hd + 0xc) * 2 ** 32;
    if (addr < base || addr >= base + size) return 'outside host bridge decoder 0';
    const ways = 2 ** ((ctrl >>> 4) & 0xf);
    const g = 256 << (ctrl & 0xf);
    const way = Math.floor(addr / g) % ways;
    const port = this.chbcr[hd + 0x14 + way]!;
    const ep = this.eps[this.rps.findIndex((r) => Number(r.cfg[0x4f]) === port)];
    if (!ep) return `no root port ${port}`;
    const e = 0x1200 + 0x10;
    const ec = u32(ep.bar0, e + 0x10);
    if (!(ec & (1 << 10))) return `${ep.node} decoder 0 not committed`;
    const eb = (u32(ep.bar0, e) & 0xf000_0000) + u32(ep.bar0, e + 4) * 2 ** 32;
    const es = (u32(ep.bar0, e + 8) & 0xf000_0000) + u32(ep.bar0, e + 0xc) * 2 ** 32;
    if (addr < eb || addr >= eb + es) return `outside ${ep.node} decoder 0`;
    const ew = 2 ** ((ec >>> 4) & 0xf);
    const eg = 256 << (ec & 0xf);
    const off = addr - eb;
    return { ep, dpa: Math.floor(off / (eg * ew)) * eg + (off % eg) };
  }

  private async access(addr: Hpa, buf: Uint8Array, write: boolean): Promise<MemAccessResult> {
    for (let i = 0; i < buf.length; i++) {
      const r = this.route(addr + i);
      if (typeof r === 'string') return { status: 'unroutable', detail: r };
      const m = this.mem.get(r.ep)!;
      if (write) m.set(r.dpa, buf[i]!);
      else buf[i] = m.get(r.dpa) ?? 0;
    }
    return { status: 'ok' };
  }
  memRead(addr: Hpa, out: Uint8Array) {
    return this.access(addr, out, false);
  }
  memWrite(addr: Hpa, data: Uint8Array) {
    return this.access(addr, data, true);
  }
}
