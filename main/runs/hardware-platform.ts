// The platform of a run in which some endpoints are hardware (DESIGN.md 3: "swapping is a topology edit"): the
// emulated platform's host bridges, ports, switches and CEDT, with everything that reaches a replaced endpoint
// going to its board instead of the emulated model:
//  - config cycles by BDF (the emulated bus numbers find the node; the board answers);
//  - MMIO by physical address: the emulated bus decodes the address to the node's BAR — the node's emulated
//    header is kept in step with the host's Command/BAR writes to the board (EmulatedPlatform.shadowCfgWrite) —
//    and the access goes to the board's BAR;
//  - memory by HPA: CFMWS, host bridge and switch decoders route as emulated; at a hardware endpoint the board's
//    own Mem_Enable, HDM decoders (or DVSEC ranges) decode it (hil/endpoint-decode.ts), and the bytes move by
//    DPA through the device map's memory window (HardwareEndpoint.memRead/memWrite). Traced like the emulated
//    path: one event per piece on the endpoint's node, space 'mem', region 'hpa', offset = HPA. Poison cannot
//    be seen this way (a Wishbone bridge carries data, not poison), so a board read reports 'ok'; a board's
//    decode state is read once and re-read after any host write to that board (or while a commit is pending).
// A board that fails its link rejects with LinkFault (the run ends 'error' with everything before it kept).

import { statusCode, type CfgWidth } from '../../common/access.js';
import type { MemAccessResult, Platform } from '../../common/platform.js';
import { LinkFault, type Target } from '../../common/target.js';
import type { TraceSink } from '../../common/trace-sink.js';
import { dpa as asDpa, type Bdf, type Hpa } from '../../common/units.js';
import { MemTrace, unroutable } from '../../emulator/memory/memory-path.js';
import { LANE_BYTES } from '../../emulator/memory/route-cache.js';
import { decodeAtEndpoint, walkToEndpoint } from '../../emulator/memory/route-walk.js';
import type { EmulatedPlatform } from '../../emulator/topology/platform.js';
import { BoardDecodeReader, type BoardDecode } from '../../hil/endpoint-decode.js';
import type { HardwareEndpoint } from '../../hil/hardware-endpoint.js';

/** What the platform needs of each replaced node. */
export interface HardwareNode {
  /** The run's Target for the node (traced, fault-watched): host config and BAR accesses. */
  target: Target;
  /** The same board untraced: decoder state reads and memory by DPA. */
  board: HardwareEndpoint;
  /** Runs a board operation under the node's fault watch: the first link failure ends the run with its reason. */
  guard<T>(f: () => Promise<T>): Promise<T>;
}

const hex = (n: number): string => `0x${n.toString(16)}`;

export class HardwarePlatform implements Platform {
  private readonly merged: ReadonlyMap<string, Target>;
  private readonly readers = new Map<string, BoardDecodeReader>();
  /** Each board's decode state, read on first use and dropped whenever the host writes to that board. */
  private readonly decodes = new Map<string, BoardDecode>();
  private readonly trace: MemTrace | null;
  private readonly guards: ReadonlyMap<string, HardwareNode['guard']>;

  constructor(
    private readonly emu: EmulatedPlatform,
    private readonly hardware: ReadonlyMap<string, HardwareNode>,
    sink: TraceSink | null = null,
  ) {
    const m = new Map(emu.targets());
    for (const [path, n] of hardware) m.set(path, n.target);
    this.merged = m;
    this.trace = sink ? new MemTrace(sink) : null;
    for (const [path, n] of hardware) this.readers.set(path, new BoardDecodeReader(n.board));
    this.guards = new Map([...hardware].map(([p, n]) => [p, n.guard]));
  }

  /** The host wrote to a replaced node (config or BAR): its decode state may have changed. */
  noteWrite(path: string): void {
    this.decodes.delete(path);
  }

  /** The node path a BDF resolves to when the emulated bus routes it to a replaced node. */
  private hwPath(b: Bdf): string | undefined {
    const f = this.emu.findFunction(b);
    return f && this.hardware.has(f.path) ? f.path : undefined;
  }

  targets(): ReadonlyMap<string, Target> {
    return this.merged;
  }
  cedt(): Uint8Array {
    return this.emu.cedt();
  }
  /** Where a host bridge's CHBCR is (host bridges stay emulated); replay addresses CHBCR events through it. */
  chbcrBase(hbPath: string): number | undefined {
    return this.emu.chbcrBase(hbPath);
  }
  cfgRead(b: Bdf, offset: number, width: CfgWidth): Promise<number> {
    const p = this.hwPath(b);
    return p ? this.hardware.get(p)!.target.cfgRead(offset, width) : this.emu.cfgRead(b, offset, width);
  }
  async cfgWrite(b: Bdf, offset: number, width: CfgWidth, value: number): Promise<void> {
    const p = this.hwPath(b);
    if (!p) return this.emu.cfgWrite(b, offset, width, value);
    await this.hardware.get(p)!.target.cfgWrite(offset, width, value);
    this.emu.shadowCfgWrite(p, offset, width, value);
    this.noteWrite(p);
  }
  mmioRead(addr: number, width: CfgWidth): Promise<number> {
    const r = this.emu.resolveMmio(addr, width);
    const n = r ? this.hardware.get(r.path) : undefined;
    return n && r ? n.target.barRead(r.bar, r.offset, width) : this.emu.mmioRead(addr, width);
  }
  async mmioWrite(addr: number, width: CfgWidth, value: number): Promise<void> {
    const r = this.emu.resolveMmio(addr, width);
    const n = r ? this.hardware.get(r.path) : undefined;
    if (!n || !r) return this.emu.mmioWrite(addr, width, value);
    await n.target.barWrite(r.bar, r.offset, width, value);
    this.noteWrite(r.path);
  }
  memRead(addr: Hpa, out: Uint8Array): Promise<MemAccessResult> {
    return this.mem(addr, out, false);
  }
  memWrite(addr: Hpa, data: Uint8Array): Promise<MemAccessResult> {
    return this.mem(addr, data, true);
  }

  private async decodeOf(path: string): Promise<BoardDecode> {
    const known = this.decodes.get(path);
    if (known) return known;
    const d = await this.guards.get(path)!(() => this.readers.get(path)!.read());
    if (d.stable) this.decodes.set(path, d);
    return d;
  }

  /**
   * Piece by piece. A board's piece: the bytes from `at` that stay on that board, same decoder, at contiguous DPAs
   * (256-byte steps merged, as the emulated path's lanes). Everything else — emulated endpoints, or bytes no
   * decoder routes — goes to the emulated path in runs as long as possible (so an access that touches no board
   * is traced exactly as on an emulated platform). A failure stops the access there; the rest reads all-ones.
   */
  private async mem(hpa: Hpa, buf: Uint8Array, isWrite: boolean): Promise<MemAccessResult> {
    const h = this.emu.memory.h;
    const len = buf.length;
    const step = (at: number, done: number): number => Math.min(len - done, LANE_BYTES - (at % LANE_BYTES));
    let done = 0;
    let first: string | undefined;
    let poison: string | undefined;
    while (done < len) {
      const at = (hpa as number) + done;
      const reached = walkToEndpoint(h, at);
      const node = reached.ok ? this.hardware.get(reached.endpoint.path) : undefined;
      if (!reached.ok || !node) {
        let n = step(at, done);
        while (done + n < len) {
          const r2 = walkToEndpoint(h, at + n);
          if (r2.ok && this.hardware.has(r2.endpoint.path)) break;
          n += step(at + n, done + n);
        }
        const part = buf.subarray(done, done + n);
        const r = isWrite ? await this.emu.memWrite(at as Hpa, part) : await this.emu.memRead(at as Hpa, part);
        if (r.status === 'unroutable') {
          if (!isWrite) buf.fill(0xff, done);
          return r;
        }
        if (r.status === 'poison') poison ??= r.detail;
        first ??= r.detail;
        done += n;
        continue;
      }
      const path = reached.endpoint.path;
      const state = await this.decodeOf(path);
      const d = decodeAtEndpoint(state, reached, at);
      if (!d.ok) return this.fail(at, buf, done, isWrite, d.detail);
      let n = Math.min(step(at, done), d.hi - at);
      while (done + n < len) {
        const next = at + n;
        const r2 = walkToEndpoint(h, next);
        if (!r2.ok || r2.endpoint !== reached.endpoint) break;
        const d2 = decodeAtEndpoint(state, r2, next);
        if (!d2.ok || d2.decoder !== d.decoder || d2.dpa !== d.dpa + n) break;
        n += Math.min(step(next, done + n), d2.hi - next);
      }
      const part = buf.subarray(done, done + n);
      let got: 'ok' | 'unclaimed';
      try {
        got = await node.guard(() => (isWrite ? node.board.memWrite(asDpa(d.dpa), part) : node.board.memRead(asDpa(d.dpa), part)));
      } catch (e) {
        // The piece that failed is the trace's last event, with the link's status (as HardwareEndpoint traces).
        this.trace?.piece(path, at, isWrite ? part : part.fill(0xff), isWrite, statusCode(e instanceof LinkFault ? e.kind : 'link-error'));
        throw e;
      }
      if (got === 'unclaimed') {
        const w = node.board.map.mem;
        const why = w ? `beyond ${path}'s memory window (device map "mem", ${hex(w.size)} bytes)` : `${path}'s device map has no memory window ("mem", LiteX region cxl_mem), so its memory cannot be reached over the link`;
        return this.fail(at, buf, done, isWrite, `${d.hops} DPA ${hex(d.dpa)}: ${why}`);
      }
      this.trace?.piece(path, at, part, isWrite, statusCode('ok'));
      first ??= `${d.hops} DPA ${hex(d.dpa)}`;
      done += n;
    }
    if (poison !== undefined && !isWrite) return { status: 'poison', detail: poison };
    return first === undefined ? { status: 'ok' } : { status: 'ok', detail: first };
  }

  /** A board's decode refused the HPA: the failure the emulated path records (platform node, error step). */
  private fail(at: number, buf: Uint8Array, done: number, isWrite: boolean, detail: string): MemAccessResult {
    return unroutable(this.trace, at, buf, done, isWrite, detail);
  }
}
