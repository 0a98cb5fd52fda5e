// The Target (common/target.ts) for an emulated PCI function: host sequences see it exactly as they see a
// hardware endpoint. Every access is traced through the sink with its status (ok / unclaimed / bad-access);
// an emulated access never rejects (DESIGN.md 2: hardware never throws).

import type { CfgWidth } from '../common/access.js';
import type { FunctionModel } from '../common/function-model.js';
import type { Target } from '../common/target.js';
import type { TraceSink } from '../common/trace-sink.js';

const SPACE_CFG = 0; // common/access.ts SPACES
const SPACE_MMIO = 1;
const REGION_CFG = 0; // common/access.ts REGIONS: 'cfg', then 'bar0'..'bar5'
const OP_R = 0;
const OP_W = 1;
const STATUS_UNCLAIMED = 1;

const hasStatus = (fn: FunctionModel): fn is FunctionModel & { lastStatus(): number } =>
  typeof (fn as { lastStatus?: unknown }).lastStatus === 'function';

export class EmulatedTarget implements Target {
  readonly backend = 'emulated';
  private readonly nodeNum: number;
  private readonly status: () => number;

  constructor(
    readonly fn: FunctionModel,
    private readonly sink: TraceSink | null,
    readonly node: string,
  ) {
    this.nodeNum = sink ? sink.nodeId(node) : 0;
    this.status = hasStatus(fn) ? () => fn.lastStatus() : () => 0;
  }

  // Synchronous forms: the same accesses without a promise, for benchmarks and the simulated-silicon servers.

  cfgReadSync(offset: number, width: CfgWidth): number {
    let v: number;
    let st: number;
    try {
      v = this.fn.cfgRead(offset, width);
      st = this.status();
    } catch {
      v = width === 4 ? 0xffff_ffff : (1 << (8 * width)) - 1;
      st = STATUS_UNCLAIMED;
    }
    if (this.sink) this.sink.access(this.nodeNum, SPACE_CFG, REGION_CFG, offset, width, OP_R, v, 0, st);
    return v;
  }

  cfgWriteSync(offset: number, width: CfgWidth, value: number): void {
    let st: number;
    try {
      this.fn.cfgWrite(offset, width, value);
      st = this.status();
    } catch {
      st = STATUS_UNCLAIMED;
    }
    if (this.sink) this.sink.access(this.nodeNum, SPACE_CFG, REGION_CFG, offset, width, OP_W, value >>> 0, 0, st);
  }

  barReadSync(bar: number, offset: number, width: CfgWidth): number {
    let v: number;
    let st: number;
    try {
      v = this.fn.barRead(bar, offset, width);
      st = this.status();
    } catch {
      v = width === 4 ? 0xffff_ffff : (1 << (8 * width)) - 1;
      st = STATUS_UNCLAIMED;
    }
    if (this.sink) this.sink.access(this.nodeNum, SPACE_MMIO, 1 + bar, offset, width, OP_R, v, 0, st);
    return v;
  }

  barWriteSync(bar: number, offset: number, width: CfgWidth, value: number): void {
    let st: number;
    try {
      this.fn.barWrite(bar, offset, width, value);
      st = this.status();
    } catch {
      st = STATUS_UNCLAIMED;
    }
    if (this.sink) this.sink.access(this.nodeNum, SPACE_MMIO, 1 + bar, offset, width, OP_W, value >>> 0, 0, st);
  }

  barRead64Sync(bar: number, offset: number): bigint {
    let v: bigint;
    let st: number;
    try {
      v = this.fn.barRead64(bar, offset);
      st = this.status();
    } catch {
      v = 0xffff_ffff_ffff_ffffn;
      st = STATUS_UNCLAIMED;
    }
    if (this.sink) this.sink.access(this.nodeNum, SPACE_MMIO, 1 + bar, offset, 8, OP_R, Number(v & 0xffff_ffffn), Number(v >> 32n), st);
    return v;
  }

  barWrite64Sync(bar: number, offset: number, value: bigint): void {
    let st: number;
    try {
      this.fn.barWrite64(bar, offset, value);
      st = this.status();
    } catch {
      st = STATUS_UNCLAIMED;
    }
    if (this.sink) this.sink.access(this.nodeNum, SPACE_MMIO, 1 + bar, offset, 8, OP_W, Number(value & 0xffff_ffffn), Number((value >> 32n) & 0xffff_ffffn), st);
  }

  // Target

  cfgRead(offset: number, width: CfgWidth): Promise<number> {
    return Promise.resolve(this.cfgReadSync(offset, width));
  }
  cfgWrite(offset: number, width: CfgWidth, value: number): Promise<void> {
    this.cfgWriteSync(offset, width, value);
    return Promise.resolve();
  }
  barRead(bar: number, offset: number, width: CfgWidth): Promise<number> {
    return Promise.resolve(this.barReadSync(bar, offset, width));
  }
  barWrite(bar: number, offset: number, width: CfgWidth, value: number): Promise<void> {
    this.barWriteSync(bar, offset, width, value);
    return Promise.resolve();
  }
  barRead64(bar: number, offset: number): Promise<bigint> {
    return Promise.resolve(this.barRead64Sync(bar, offset));
  }
  barWrite64(bar: number, offset: number, value: bigint): Promise<void> {
    this.barWrite64Sync(bar, offset, value);
    return Promise.resolve();
  }
}
