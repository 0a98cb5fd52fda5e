// The emulated CXL 2.0 platform (common/platform.ts Platform): a validated Topology turned into host bridges
// (CHBCR + HDM decoders), root ports, switches and Type 3 endpoints, reachable the way firmware and the kernel
// reach them — ECAM config access by BDF through the bridges' bus numbers, MMIO by address through bridge
// windows to BARs and CHBCRs, the memory path by HPA, and the CEDT.
// Hardware never throws: anything nothing claims reads all-ones, writes are dropped, and every access is traced
// (node paths like "hb0.rp0.sw0.dsp1.ep0"; accesses nothing claims go to node "platform", with the ECAM offset
// for config space and the address in region 'hpa' for MMIO).

import type { CfgWidth } from '../../common/access.js';
import type { Clock } from '../../common/clock.js';
import type { Layout } from '../../common/layout.js';
import type { MemAccessResult, Platform } from '../../common/platform.js';
import type { Target } from '../../common/target.js';
import type { TraceSink } from '../../common/trace-sink.js';
import { bdfBus, bdfDev, bdfFn, type Bdf, type Hpa } from '../../common/units.js';
import type { EmulatedTarget } from '../emulated-target.js';
import { MemoryPath, PLATFORM_NODE } from '../memory/memory-path.js';
import { bridgeBuses, bridgeWindows, EVERYWHERE, intersectRanges, memorySpaceEnabled, type AddressRange } from './bridge-registers.js';
import { buildCedt } from './cedt.js';
import { enumerateLikeFirmware, type EnumerationReport } from './enumeration.js';
import { COMPONENT_BLOCK_BYTES } from './component-layout.js';
import { allFunctions, buildPlatformNodes, type FnRec, type HbRec } from './platform-nodes.js';
import { memoryHierarchy } from './platform-memory.js';
import type { Topology } from './types.js';

export interface PlatformOptions {
  clock: Clock;
  sink?: TraceSink | null;
  /** Reads of an HDM decoder Control register before a commit shows (all decoders). Default 0. */
  commitPolls?: number;
}

const SPACE_CFG = 0;
const SPACE_MMIO = 1;
const REGION_CFG = 0;
const REGION_CHBCR = 7;
const REGION_HPA = 8;
const ST_UNCLAIMED = 1;

interface MmioEntry {
  lo: number;
  hi: number;
  rec: FnRec | null;
  bar: number;
  hb: HbRec | null;
}

const ones = (w: number): number => (w === 4 ? 0xffff_ffff : (1 << (8 * w)) - 1);

export class EmulatedPlatform implements Platform {
  readonly topology: Topology;
  readonly hostBridges: readonly HbRec[];
  readonly memory: MemoryPath;
  private readonly fns: FnRec[];
  private readonly byPath = new Map<string, FnRec>();
  private readonly sink: TraceSink | null;
  private readonly platformNode: number;
  private readonly hbNodes: number[];
  private mmioTable: MmioEntry[] | null = null;
  private cedtBytes: Uint8Array | null = null;

  constructor(topology: Topology, opts: PlatformOptions) {
    this.topology = topology;
    this.sink = opts.sink ?? null;
    this.hostBridges = buildPlatformNodes(topology, {
      clock: opts.clock,
      sink: this.sink,
      commitPolls: opts.commitPolls ?? 0,
      onCfgWrite: () => (this.mmioTable = null),
    });
    this.fns = allFunctions(this.hostBridges);
    for (const f of this.fns) this.byPath.set(f.path, f);
    this.platformNode = this.sink ? this.sink.nodeId(PLATFORM_NODE) : 0;
    this.hbNodes = this.hostBridges.map((h) => (this.sink ? this.sink.nodeId(h.path) : 0));
    this.memory = new MemoryPath(memoryHierarchy(topology, this.hostBridges), this.sink);
  }

  // ---- Platform ----

  targets(): ReadonlyMap<string, Target> {
    return new Map(this.fns.map((f) => [f.path, f.target]));
  }

  /** The EmulatedTarget of a node path (synchronous access forms included). */
  target(path: string): EmulatedTarget | undefined {
    return this.byPath.get(path)?.target;
  }

  /** The runtime record of a node (its model, HDM decoders, Type 3 device). */
  node(path: string): FnRec | undefined {
    return this.byPath.get(path);
  }

  cedt(): Uint8Array {
    this.cedtBytes ??= buildCedt(this.topology);
    return this.cedtBytes.slice();
  }

  cfgRead(b: Bdf, offset: number, width: CfgWidth): Promise<number> {
    return Promise.resolve(this.cfgReadSync(b, offset, width));
  }
  cfgWrite(b: Bdf, offset: number, width: CfgWidth, value: number): Promise<void> {
    this.cfgWriteSync(b, offset, width, value);
    return Promise.resolve();
  }
  mmioRead(addr: number, width: CfgWidth): Promise<number> {
    return Promise.resolve(this.mmioReadSync(addr, width));
  }
  mmioWrite(addr: number, width: CfgWidth, value: number): Promise<void> {
    this.mmioWriteSync(addr, width, value);
    return Promise.resolve();
  }
  memRead(addr: Hpa, out: Uint8Array): Promise<MemAccessResult> {
    return Promise.resolve(this.memory.read(addr, out));
  }
  memWrite(addr: Hpa, data: Uint8Array): Promise<MemAccessResult> {
    return Promise.resolve(this.memory.write(addr, data));
  }

  /** Every node's register layout (host bridges' CHBCR blocks included), for trace decode. */
  layout(): Layout {
    return [
      ...this.hostBridges.map((h) => ({ node: h.path, kind: 'host-bridge' as const, blocks: h.regs.layout() })),
      ...this.fns.map((f) => ({ node: f.path, kind: f.kind, blocks: f.layout() })),
    ];
  }

  /** Assign bus numbers, BARs and bridge windows as firmware would, through traced ECAM accesses. */
  enumerateLikeFirmware(): EnumerationReport {
    return enumerateLikeFirmware({
      cfgRead: (b, o, w) => this.cfgReadSync(b, o, w),
      cfgWrite: (b, o, w, v) => this.cfgWriteSync(b, o, w, v),
      rootBuses: () => this.hostBridges.map((h) => h.bus),
      pathOf: (b) => this.findFunction(b)?.path ?? PLATFORM_NODE,
    });
  }

  /** Where a host bridge's CHBCR lives (its CHBS Base). */
  chbcrBase(hbPath: string): number | undefined {
    return this.hostBridges.find((h) => h.path === hbPath)?.chbcrBase;
  }

  // ---- ECAM ----

  /** The function at a BDF, following bridges' bus numbers from each host bridge's root bus. */
  findFunction(b: Bdf): FnRec | null {
    const bus = bdfBus(b);
    const dev = bdfDev(b);
    if (bdfFn(b) !== 0) return null; // all our functions are single-function devices
    for (const h of this.hostBridges) {
      if (bus === h.bus) return h.rootPorts.find((r) => r.devNum === dev) ?? null;
      for (const rp of h.rootPorts) {
        const f = this.below(rp, bus, dev);
        if (f) return f;
      }
    }
    return null;
  }

  private below(br: FnRec, bus: number, dev: number): FnRec | null {
    if (!br.header) return null;
    const { secondary, subordinate } = bridgeBuses(br.header);
    if (secondary === 0 || bus < secondary || bus > subordinate) return null;
    if (bus === secondary) return br.below.find((c) => c.devNum === dev) ?? null;
    for (const c of br.below) {
      const f = this.below(c, bus, dev);
      if (f) return f;
    }
    return null;
  }

  cfgReadSync(b: Bdf, offset: number, width: CfgWidth): number {
    const f = this.findFunction(b);
    if (f) return f.target.cfgReadSync(offset, width);
    if (this.sink) this.sink.access(this.platformNode, SPACE_CFG, REGION_CFG, b * 0x1000 + offset, width, 0, ones(width), 0, ST_UNCLAIMED);
    return ones(width);
  }

  cfgWriteSync(b: Bdf, offset: number, width: CfgWidth, value: number): void {
    const f = this.findFunction(b);
    if (f) return f.target.cfgWriteSync(offset, width, value);
    if (this.sink) this.sink.access(this.platformNode, SPACE_CFG, REGION_CFG, b * 0x1000 + offset, width, 1, value >>> 0, 0, ST_UNCLAIMED);
  }

  // ---- MMIO ----

  private decodeTable(): MmioEntry[] {
    if (this.mmioTable) return this.mmioTable;
    const t: MmioEntry[] = this.hostBridges.map((h) => ({ lo: h.chbcrBase, hi: h.chbcrBase + COMPONENT_BLOCK_BYTES, rec: null, bar: -1, hb: h }));
    const visit = (f: FnRec, allowed: readonly AddressRange[]): void => {
      const cmd = f.model.cfgRead(0x04, 2);
      if (!memorySpaceEnabled(cmd)) return;
      const sizes = f.model.barSizes();
      for (let i = 0; i < (f.header ? 2 : 6); i++) {
        const lo = f.model.cfgRead(0x10 + 4 * i, 4);
        if (sizes[i] === 0 || (lo & 1) !== 0) continue;
        const is64 = ((lo >>> 1) & 3) === 2;
        const base = (is64 ? f.model.cfgRead(0x14 + 4 * i, 4) * 2 ** 32 : 0) + ((lo & 0xffff_fff0) >>> 0);
        const end = base + sizes[i];
        if (base !== 0 && allowed.some((r) => base >= r.lo && end <= r.hi)) t.push({ lo: base, hi: end, rec: f, bar: i, hb: null });
        if (is64) i++;
      }
      if (f.header) {
        const inner = intersectRanges(allowed, bridgeWindows(f.header));
        for (const c of f.below) visit(c, inner);
      }
    };
    for (const h of this.hostBridges) for (const rp of h.rootPorts) visit(rp, EVERYWHERE);
    this.mmioTable = t;
    return t;
  }

  /**
   * Which function's BAR (and offset in it) an MMIO access hits, as the emulated bus decodes it — for a
   * platform that sends some functions' accesses elsewhere (main/runs/hardware-platform.ts). Null: not a BAR.
   */
  resolveMmio(addr: number, width: number): { path: string; bar: number; offset: number } | null {
    const e = this.decode(addr, width);
    return e?.rec ? { path: e.rec.path, bar: e.bar, offset: addr - e.lo } : null;
  }

  /**
   * Keep a function's emulated header in step with a config write that went to another device standing in for
   * it (a hardware endpoint): untraced, only what the bus decode depends on — Command (Memory Space Enable,
   * PCI 3.0 6.2.2) and the BARs (6.2.5.1) — so MMIO by address still finds the function where the host put it.
   */
  shadowCfgWrite(path: string, offset: number, width: CfgWidth, value: number): void {
    const f = this.byPath.get(path);
    if (!f) return;
    const end = offset + width;
    const touchesCommand = offset < 0x06 && end > 0x04;
    const touchesBars = offset < 0x28 && end > 0x10;
    if (!touchesCommand && !touchesBars) return;
    f.model.cfgWrite(offset, width, value);
    this.mmioTable = null;
  }

  private decode(addr: number, width: number): MmioEntry | undefined {
    return this.decodeTable().find((e) => addr >= e.lo && addr + width <= e.hi);
  }

  mmioReadSync(addr: number, width: CfgWidth): number {
    const e = this.decode(addr, width);
    if (e?.rec) return e.rec.target.barReadSync(e.bar, addr - e.lo, width);
    if (e?.hb) {
      const i = this.hostBridges.indexOf(e.hb);
      const s = e.hb.regs.chbcr;
      const v = s.read(addr - e.lo, width);
      if (this.sink) this.sink.access(this.hbNodes[i], SPACE_MMIO, REGION_CHBCR, addr - e.lo, width, 0, v >>> 0, 0, s.status);
      return v;
    }
    if (this.sink) this.sink.access(this.platformNode, SPACE_MMIO, REGION_HPA, addr, width, 0, ones(width), 0, ST_UNCLAIMED);
    return ones(width);
  }

  mmioWriteSync(addr: number, width: CfgWidth, value: number): void {
    const e = this.decode(addr, width);
    if (e?.rec) return e.rec.target.barWriteSync(e.bar, addr - e.lo, width, value);
    if (e?.hb) {
      const i = this.hostBridges.indexOf(e.hb);
      const s = e.hb.regs.chbcr;
      s.write(addr - e.lo, width, value);
      if (this.sink) this.sink.access(this.hbNodes[i], SPACE_MMIO, REGION_CHBCR, addr - e.lo, width, 1, value >>> 0, 0, s.status);
      return;
    }
    if (this.sink) this.sink.access(this.platformNode, SPACE_MMIO, REGION_HPA, addr, width, 1, value >>> 0, 0, ST_UNCLAIMED);
  }
}

export const buildPlatform = (topology: Topology, opts: PlatformOptions): EmulatedPlatform => new EmulatedPlatform(topology, opts);
