// A small Type 3 device built for host tests: byte-array config space with a DSN, DVSEC 0 and Register
// Locator, a component block (RAS + HDM with `decoders` decoders) in BAR0 and device registers (status,
// mailbox, memdev) in BAR2, and a mailbox that answers the commands the Linux probe sends. Knobs let tests
// break one thing at a time. It is deliberately independent of emulator/ so host helpers are tested against
// a second implementation of the spec.

import type { Target } from '../../common/target.js';
import { put16, put32, put64, u32 } from '../../host/core/bytes.js';

export interface FakeOptions {
  payloadLog2?: number;
  noDvsec0?: boolean;
  mediaReady?: boolean;
  mailboxReady?: boolean;
  celOpcodes?: number[];
  lsaBytes?: number;
  volatileUnits?: number;
  persistentUnits?: number;
  decoders?: number;
  /** Number of doorbell polls the mailbox stays busy (0: completes at once). */
  busyPolls?: number;
  /** Background ops take this many Background Command Status reads to finish. */
  bgReads?: number;
  /** Every decoder commit ends in Error Not Committed. */
  commitFails?: boolean;
}

const CEL_UUID = [0x0d, 0xa9, 0xc0, 0xb5, 0xbf, 0x41, 0x4b, 0x78, 0x8f, 0x79, 0x96, 0xb1, 0x62, 0x3b, 0x3f, 0x17];
const DEFAULT_CEL = [0x0100, 0x0101, 0x0102, 0x0103, 0x0200, 0x0301, 0x0400, 0x0401, 0x4000, 0x4100, 0x4102, 0x4103, 0x4200, 0x4300, 0x4400];
const MB = 0x100; // mailbox in BAR2
const MD = 0x1000; // memdev status in BAR2
const HDM = 0x1000 + 0x200; // HDM capability in BAR0

export class FakeType3 implements Target {
  readonly backend = 'fake';
  readonly cfg = new Uint8Array(4096);
  readonly bar0 = new Uint8Array(64 * 1024);
  readonly bar2 = new Uint8Array(64 * 1024);
  readonly lsa: Uint8Array;
  readonly o: Required<FakeOptions>;
  private busyLeft = 0;
  private bgLeft = 0;
  cfgWrites: Array<[number, number]> = [];

  constructor(
    readonly node = 'hb0.rp0.ep0',
    opts: FakeOptions = {},
  ) {
    this.o = {
      payloadLog2: 11,
      noDvsec0: false,
      mediaReady: true,
      mailboxReady: true,
      celOpcodes: DEFAULT_CEL,
      lsaBytes: 4096,
      volatileUnits: 1,
      persistentUnits: 1,
      decoders: 4,
      busyPolls: 0,
      bgReads: 3,
      commitFails: false,
      ...opts,
    };
    this.lsa = new Uint8Array(this.o.lsaBytes).map((_, i) => i & 0xff);
    this.buildConfig();
    this.buildComponent();
    this.buildDevice();
  }

  private buildConfig(): void {
    const c = this.cfg;
    put16(c, 0, 0x8086);
    put16(c, 2, 0x0d93);
    put32(c, 8, (0x050210 << 8) | 1);
    put16(c, 6, 0x10);
    c[0x34] = 0x40;
    put16(c, 0x40, 0x0010); // PCIe capability, last
    put16(c, 0x42, 0x0002);
    put32(c, 0x100, (0x110 << 20) | (1 << 16) | 0x0003); // DSN
    put64(c, 0x104, 0x0123_4567_89ab_cdefn);
    let next = 0x110;
    if (!this.o.noDvsec0) {
      put32(c, 0x110, (0x150 << 20) | (1 << 16) | 0x23);
      put32(c, 0x114, (0x38 << 20) | (1 << 16) | 0x1e98);
      put16(c, 0x118, 0);
      put16(c, 0x11a, 0x0014 | (1 << 4)); // Mem_Capable, HDM_Count = 1, Mem_HwInit_Mode off
      put32(c, 0x128, 0); // range 1 size high
      put32(c, 0x12c, this.o.mediaReady ? 0x1000_0003 : 0x1000_0001);
      next = 0x150;
    }
    put32(c, next, (0 << 20) | (1 << 16) | 0x23);
    put32(c, next + 4, (0x24 << 20) | (0 << 16) | 0x1e98);
    put16(c, next + 8, 8);
    put32(c, next + 0x0c, (1 << 8) | 0); // component, BAR0 +0
    put32(c, next + 0x14, (3 << 8) | 2); // memdev, BAR2 +0
    put32(c, next + 0x1c, 0);
  }

  private buildComponent(): void {
    const b = this.bar0;
    put32(b, 0x1000, (2 << 24) | (1 << 20) | (1 << 16) | 1);
    put32(b, 0x1004, (0x100 << 20) | (2 << 16) | 2); // RAS at cm+0x100
    put32(b, 0x1008, (0x200 << 20) | (1 << 16) | 5); // HDM at cm+0x200
    const enc = this.o.decoders === 1 ? 0 : this.o.decoders / 2;
    put32(b, HDM, enc | (1 << 8) | (1 << 9));
  }

  private buildDevice(): void {
    const b = this.bar2;
    put64(b, 0, (3n << 32n) | (1n << 24n) | (1n << 16n));
    const hdr = (i: number, id: number, off: number, len: number): void => {
      put32(b, 0x10 * i, id | (1 << 16));
      put32(b, 0x10 * i + 4, off);
      put32(b, 0x10 * i + 8, len);
    };
    hdr(1, 1, 0x80, 8);
    hdr(2, 2, MB, 0x20 + (1 << this.o.payloadLog2));
    hdr(3, 0x4000, MD, 8);
    put32(b, MB, this.o.payloadLog2);
    this.updateMemdev();
  }

  private updateMemdev(): void {
    const v = (this.o.mediaReady ? 1 << 2 : 0) | (this.o.mailboxReady ? 1 << 4 : 0);
    put32(this.bar2, MD, v);
  }

  setMediaReady(ready: boolean): void {
    this.o.mediaReady = ready;
    put32(this.cfg, 0x12c, ready ? 0x1000_0003 : 0x1000_0001);
    this.updateMemdev();
  }

  private space(bar: number): Uint8Array {
    return bar === 0 ? this.bar0 : bar === 2 ? this.bar2 : new Uint8Array(0);
  }

  async cfgRead(off: number, w: 1 | 2 | 4): Promise<number> {
    if (off + w > 4096) return 2 ** (8 * w) - 1;
    return w === 1 ? this.cfg[off]! : w === 2 ? this.cfg[off]! | (this.cfg[off + 1]! << 8) : u32(this.cfg, off);
  }
  async cfgWrite(off: number, w: 1 | 2 | 4, v: number): Promise<void> {
    this.cfgWrites.push([off, v]);
    if (w === 2 && off === 0x11c) put16(this.cfg, off, v); // DVSEC 0 control
  }

  async barRead(bar: number, off: number, w: 1 | 2 | 4): Promise<number> {
    const s = this.space(bar);
    if (off + w > s.length) return 2 ** (8 * w) - 1;
    if (bar === 2 && off === MB + 4 && this.busyLeft > 0) {
      this.busyLeft--;
      if (this.busyLeft === 0) this.complete();
      return 1;
    }
    if (bar === 2 && off === MB + 0x18 && this.bgLeft > 0) this.bgTick();
    return w === 1 ? s[off]! : w === 2 ? s[off]! | (s[off + 1]! << 8) : u32(s, off);
  }
  async barWrite(bar: number, off: number, w: 1 | 2 | 4, v: number): Promise<void> {
    const s = this.space(bar);
    if (off + w > s.length) return;
    if (bar === 2 && off === MB + 4) {
      if (v & 1) {
        if (this.o.busyPolls > 0) this.busyLeft = this.o.busyPolls;
        else this.complete();
      }
      return;
    }
    if (bar === 2 && (off === MB || off === MD || off < 0x80)) return; // RO registers
    if (bar === 0 && off >= HDM && off < HDM + 0x10 + 0x20 * this.o.decoders) return this.hdmWrite(off - HDM, v);
    if (w === 4) put32(s, off, v);
    else if (w === 2) put16(s, off, v);
    else s[off] = v;
  }
  async barRead64(bar: number, off: number): Promise<bigint> {
    const lo = await this.barRead(bar, off, 4);
    const hi = await this.barRead(bar, off + 4, 4);
    return (BigInt(hi) << 32n) | BigInt(lo);
  }
  async barWrite64(bar: number, off: number, v: bigint): Promise<void> {
    await this.barWrite(bar, off, 4, Number(v & 0xffff_ffffn));
    await this.barWrite(bar, off + 4, 4, Number(v >> 32n));
  }

  private hdmWrite(rel: number, v: number): void {
    if (rel === 4) return put32(this.bar0, HDM + 4, v & 3);
    const n = Math.floor((rel - 0x10) / 0x20);
    const r = (rel - 0x10) % 0x20;
    const at = HDM + 0x10 + 0x20 * n;
    if (r === 0x10) {
      const commit = (v >> 9) & 1;
      let ctrl = v & 0x13ff;
      if (commit) ctrl |= this.o.commitFails ? 1 << 11 : 1 << 10;
      put32(this.bar0, at + 0x10, ctrl);
      return;
    }
    put32(this.bar0, at + r, r === 0 || r === 8 ? v & 0xf000_0000 : v);
  }

  // --- mailbox ---
  private complete(): void {
    const b = this.bar2;
    const cmd = u32(b, MB + 8) | 0;
    const opcode = cmd & 0xffff;
    const len = (u32(b, MB + 8) >>> 16) | ((u32(b, MB + 0x0c) & 0x1f) << 16);
    const input = b.slice(MB + 0x20, MB + 0x20 + Math.min(len, 1 << this.o.payloadLog2));
    const [rc, out] = this.execute(opcode, input, len);
    put32(b, MB + 0x10, this.bgLeft > 0 ? 1 : 0);
    put32(b, MB + 0x14, rc);
    b.set(out, MB + 0x20);
    put32(b, MB + 8, opcode | ((out.length & 0xffff) << 16));
    put32(b, MB + 0x0c, out.length >>> 16);
  }

  private bgTick(): void {
    const b = this.bar2;
    this.bgLeft--;
    const pct = this.bgLeft === 0 ? 100 : 50;
    put32(b, MB + 0x18, 0x4400 | (pct << 16));
    put32(b, MB + 0x1c, 0);
    if (this.bgLeft === 0) put32(b, MB + 0x10, 0);
  }

  private execute(op: number, input: Uint8Array, len: number): [number, Uint8Array] {
    const cel = this.o.celOpcodes;
    const need = (n: number): boolean => len === n;
    switch (op) {
      case 0x0400: {
        if (!need(0)) return [0x16, new Uint8Array(0)];
        const out = new Uint8Array(8 + 0x14);
        put16(out, 0, 1);
        out.set(CEL_UUID, 8);
        put32(out, 8 + 16, cel.length * 4);
        return [0, out];
      }
      case 0x0401: {
        if (!need(0x18)) return [0x16, new Uint8Array(0)];
        if (!CEL_UUID.every((x, i) => input[i] === x)) return [0x17, new Uint8Array(0)];
        const off = u32(input, 0x10);
        const n = u32(input, 0x14);
        if (off + n > cel.length * 4) return [2, new Uint8Array(0)];
        const all = new Uint8Array(cel.length * 4);
        cel.forEach((c, i) => put16(all, 4 * i, c));
        return [0, all.slice(off, off + n)];
      }
      case 0x4000: {
        if (!need(0)) return [0x16, new Uint8Array(0)];
        const out = new Uint8Array(0x43);
        out.set([...'fake 1.0'].map((ch) => ch.charCodeAt(0)));
        put64(out, 0x10, this.o.volatileUnits + this.o.persistentUnits);
        put64(out, 0x18, this.o.volatileUnits);
        put64(out, 0x20, this.o.persistentUnits);
        put32(out, 0x38, this.o.lsaBytes);
        put32(out, 0x3c, 256);
        return [0, out];
      }
      case 0x4102: {
        if (!need(8)) return [0x16, new Uint8Array(0)];
        const off = u32(input, 0);
        const n = u32(input, 4);
        if (off + n > this.lsa.length) return [2, new Uint8Array(0)];
        return [0, this.lsa.slice(off, off + n)];
      }
      case 0x0200: {
        const out = new Uint8Array(0x50);
        out[0] = 2;
        out[1] = 1;
        return [0, out];
      }
      case 0x0102:
        return [0, new Uint8Array(4)];
      case 0x0103:
      case 0x0301:
      case 0x0101:
        return [0, new Uint8Array(0)];
      case 0x0100:
        return [0, new Uint8Array(0x20)];
      case 0x4300:
        return [0, new Uint8Array(0x20)];
      case 0x4200:
        return [0, new Uint8Array(0x12)];
      case 0x4400:
        if (this.bgLeft > 0) return [6, new Uint8Array(0)];
        this.bgLeft = this.o.bgReads;
        return [1, new Uint8Array(0)];
      default:
        return [3, new Uint8Array(0)];
    }
  }
}
