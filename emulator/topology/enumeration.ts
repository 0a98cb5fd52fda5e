// Firmware-style enumeration over ECAM config accesses (so the trace shows what firmware does): depth-first
// bus numbering (primary / secondary / subordinate as PCI-to-PCI Bridge 1.2, 3.2.5.3-5 describe, subordinate
// 0xFF while scanning below), BAR sizing by writing all-ones and reading back (PCIe Base 7.5.1.2.1), bridge
// memory windows sized bottom-up at 1 MiB granularity and assigned top-down from the MMIO aperture, then
// Memory Space and Bus Master Enable on every function.

import { bdf, type Bdf } from '../../common/units.js';
import type { CfgWidth } from '../../common/access.js';
import { MMIO_APERTURE_BASE } from './memory-map.js';
import { T1 } from './type1-header.js';

/** What enumeration needs from the platform: traced ECAM accesses, and where each host bridge's root bus is. */
export interface EcamPort {
  cfgRead(b: Bdf, offset: number, width: CfgWidth): number;
  cfgWrite(b: Bdf, offset: number, width: CfgWidth, value: number): void;
  rootBuses(): number[];
  /** Topology path of the function at a BDF (for the report). */
  pathOf(b: Bdf): string;
}

interface Bar {
  index: number;
  size: number;
  is64: boolean;
  base: number;
}

interface Found {
  at: Bdf;
  bridge: boolean;
  bars: Bar[];
  children: Found[];
  windowSize: number;
  windowBase: number;
}

export interface EnumerationReport {
  buses: { node: string; bdf: string; primary: number; secondary: number; subordinate: number }[];
  bars: { node: string; bar: number; base: number; size: number }[];
  windows: { node: string; base: number; limit: number }[];
  /** First address after everything enumeration placed. */
  apertureEnd: number;
}

const MiB = 0x10_0000;
const alignUp = (n: number, a: number): number => Math.ceil(n / a) * a;
const fmt = (b: Bdf): string =>
  `${((b >> 8) & 0xff).toString(16).padStart(2, '0')}:${((b >> 3) & 0x1f).toString(16).padStart(2, '0')}.${b & 7}`;

export function enumerateLikeFirmware(e: EcamPort): EnumerationReport {
  const report: EnumerationReport = { buses: [], bars: [], windows: [], apertureEnd: MMIO_APERTURE_BASE };
  let lastBus = 0;

  const sizeBars = (at: Bdf, count: number): Bar[] => {
    const bars: Bar[] = [];
    for (let i = 0; i < count; i++) {
      const off = 0x10 + 4 * i;
      const orig = e.cfgRead(at, off, 4);
      e.cfgWrite(at, off, 4, 0xffff_ffff);
      const lo = e.cfgRead(at, off, 4);
      e.cfgWrite(at, off, 4, orig);
      if (lo === 0 || (lo & 1) !== 0) continue; // unimplemented, or an I/O BAR (none in our models)
      const is64 = ((lo >>> 1) & 3) === 2;
      let size = 2 ** 32 - ((lo & 0xffff_fff0) >>> 0);
      if (is64 && i + 1 < count) {
        const origHi = e.cfgRead(at, off + 4, 4);
        e.cfgWrite(at, off + 4, 4, 0xffff_ffff);
        const hi = e.cfgRead(at, off + 4, 4);
        e.cfgWrite(at, off + 4, 4, origHi);
        if (hi !== 0xffff_ffff) size = (2 ** 32 - hi) * 2 ** 32;
      }
      bars.push({ index: i, size, is64, base: 0 });
      if (is64) i++;
    }
    return bars;
  };

  const scanBus = (bus: number): Found[] => {
    const found: Found[] = [];
    for (let dev = 0; dev < 32; dev++) {
      const at = bdf(bus, dev, 0);
      if (e.cfgRead(at, 0, 2) === 0xffff) continue;
      const bridge = (e.cfgRead(at, 0x0e, 1) & 0x7f) === 1;
      const f: Found = { at, bridge, bars: sizeBars(at, bridge ? 2 : 6), children: [], windowSize: 0, windowBase: 0 };
      if (bridge) {
        const secondary = ++lastBus;
        e.cfgWrite(at, T1.primaryBus, 4, (bus | (secondary << 8) | (0xff << 16)) >>> 0);
        f.children = scanBus(secondary);
        e.cfgWrite(at, T1.subordinateBus, 1, lastBus);
        report.buses.push({ node: e.pathOf(at), bdf: fmt(at), primary: bus, secondary, subordinate: lastBus });
      }
      found.push(f);
    }
    return found;
  };

  interface Item {
    size: number;
    align: number;
    place(base: number): void;
  }
  const itemsOf = (fs: Found[]): Item[] =>
    fs.flatMap((f) => [
      ...f.bars.map((b) => ({ size: b.size, align: b.size, place: (base: number) => (b.base = base) })),
      ...(f.bridge && f.windowSize > 0 ? [{ size: f.windowSize, align: MiB, place: (base: number) => (f.windowBase = base) }] : []),
    ]);
  const layOut = (items: Item[], base: number): number => {
    let cur = base;
    for (const it of [...items].sort((a, b) => b.align - a.align)) {
      cur = alignUp(cur, it.align);
      it.place(cur);
      cur += it.size;
    }
    return cur;
  };
  const sizeWindows = (fs: Found[]): void => {
    for (const f of fs) {
      if (!f.bridge) continue;
      sizeWindows(f.children);
      const used = layOut(itemsOf(f.children), 0);
      f.windowSize = used === 0 ? 0 : alignUp(used, MiB);
    }
  };
  const assign = (fs: Found[]): void => {
    for (const f of fs) {
      for (const b of f.bars) {
        e.cfgWrite(f.at, 0x10 + 4 * b.index, 4, (b.base % 2 ** 32) >>> 0);
        if (b.is64) e.cfgWrite(f.at, 0x14 + 4 * b.index, 4, Math.floor(b.base / 2 ** 32) >>> 0);
        report.bars.push({ node: e.pathOf(f.at), bar: b.index, base: b.base, size: b.size });
      }
      if (!f.bridge) continue;
      if (f.windowSize > 0) {
        layOut(itemsOf(f.children), f.windowBase);
        const limit = f.windowBase + f.windowSize - 1;
        e.cfgWrite(f.at, T1.memBase, 4, (((f.windowBase >>> 16) & 0xfff0) | (((limit >>> 16) & 0xfff0) << 16)) >>> 0);
        report.windows.push({ node: e.pathOf(f.at), base: f.windowBase, limit });
      } else {
        e.cfgWrite(f.at, T1.memBase, 4, 0x0000_fff0); // base > limit: window closed
      }
      e.cfgWrite(f.at, T1.prefBase, 4, 0x0000_fff0); // no prefetchable window (our BARs are non-prefetchable)
      e.cfgWrite(f.at, T1.prefBaseUpper, 4, 0);
      e.cfgWrite(f.at, T1.prefLimitUpper, 4, 0);
      assign(f.children);
    }
  };
  const enable = (fs: Found[]): void => {
    for (const f of fs) {
      e.cfgWrite(f.at, 0x04, 2, e.cfgRead(f.at, 0x04, 2) | 0x6); // Memory Space + Bus Master Enable
      enable(f.children);
    }
  };

  let cursor = MMIO_APERTURE_BASE;
  for (const root of e.rootBuses()) {
    lastBus = Math.max(lastBus, root);
    const fs = scanBus(root);
    sizeWindows(fs);
    const end = layOut(itemsOf(fs), cursor);
    assign(fs);
    enable(fs);
    cursor = alignUp(Math.max(end, cursor), MiB);
  }
  report.apertureEnd = cursor;
  return report;
}
