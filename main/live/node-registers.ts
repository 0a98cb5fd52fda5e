// Register access to one node of a live platform through the traced paths a host uses: config space and BARs
// through the function's EmulatedTarget, a host bridge's CHBCR through platform MMIO at its CHBS base — so
// every explorer read and write lands in the console run's trace like any sequence's access.

import type { CfgWidth, Region, Width } from '../../common/access.js';
import type { PlacedBlock } from '../../common/layout.js';
import type { EmulatedPlatform } from '../../emulator/topology/platform.js';

export interface NodeRegisterPort {
  readonly node: string;
  layout(): PlacedBlock[];
  read(region: Region, offset: number, width: Width): bigint;
  write(region: Region, offset: number, width: Width, value: bigint): void;
}

const barIndex = (r: Region): number => (/^bar[0-5]$/.test(r) ? Number(r.slice(3)) : -1);
const lo32 = (v: bigint): number => Number(v & 0xffff_ffffn);
const hi32 = (v: bigint): number => Number((v >> 32n) & 0xffff_ffffn);

// 64-bit accesses: CXL 2.0 8.2.8 lets device registers (BAR2 here) be read as one 64-bit access; component
// registers (8.2.5: 32-bit accesses) and config space take two dwords, low first.
const whole64 = (r: Region): boolean => r === 'bar2';

export function nodeRegisterPort(p: EmulatedPlatform, path: string): NodeRegisterPort | undefined {
  const hb = p.hostBridges.find((h) => h.path === path);
  if (hb) {
    const base = hb.chbcrBase;
    const rd = (o: number, w: CfgWidth): number => p.mmioReadSync(base + o, w);
    const wr = (o: number, w: CfgWidth, v: number): void => p.mmioWriteSync(base + o, w, v);
    return {
      node: path,
      layout: () => hb.regs.layout(),
      read: (region, o, w) => {
        if (region !== 'chbcr') return allOnesOf(w);
        return w === 8 ? BigInt(rd(o, 4) >>> 0) | (BigInt(rd(o + 4, 4) >>> 0) << 32n) : BigInt(rd(o, w) >>> 0);
      },
      write: (region, o, w, v) => {
        if (region !== 'chbcr') return;
        if (w === 8) {
          wr(o, 4, lo32(v));
          wr(o + 4, 4, hi32(v));
        } else wr(o, w, lo32(v));
      },
    };
  }
  const f = p.node(path);
  if (!f) return undefined;
  const t = f.target;
  return {
    node: path,
    layout: () => f.layout(),
    read(region, o, w) {
      if (region === 'cfg') return w === 8 ? BigInt(t.cfgReadSync(o, 4) >>> 0) | (BigInt(t.cfgReadSync(o + 4, 4) >>> 0) << 32n) : BigInt(t.cfgReadSync(o, w) >>> 0);
      const bar = barIndex(region);
      if (bar < 0) return allOnesOf(w);
      if (w !== 8) return BigInt(t.barReadSync(bar, o, w) >>> 0);
      if (whole64(region)) return t.barRead64Sync(bar, o);
      return BigInt(t.barReadSync(bar, o, 4) >>> 0) | (BigInt(t.barReadSync(bar, o + 4, 4) >>> 0) << 32n);
    },
    write(region, o, w, v) {
      if (region === 'cfg') {
        if (w === 8) {
          t.cfgWriteSync(o, 4, lo32(v));
          t.cfgWriteSync(o + 4, 4, hi32(v));
        } else t.cfgWriteSync(o, w, lo32(v));
        return;
      }
      const bar = barIndex(region);
      if (bar < 0) return;
      if (w !== 8) t.barWriteSync(bar, o, w, lo32(v));
      else if (whole64(region)) t.barWrite64Sync(bar, o, v);
      else {
        t.barWriteSync(bar, o, 4, lo32(v));
        t.barWriteSync(bar, o + 4, 4, hi32(v));
      }
    },
  };
}

/** What an unclaimed read returns (hardware never throws). */
const allOnesOf = (w: Width): bigint => (1n << BigInt(8 * w)) - 1n;
