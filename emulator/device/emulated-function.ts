// A FunctionModel (common/function-model.ts) over RegisterSpaces: config space plus up to six BAR spaces.
// `lastStatus()` gives the common/access.ts status code of the last access for the tracer (EmulatedTarget).

import type { CfgWidth } from '../../common/access.js';
import type { FunctionModel } from '../../common/function-model.js';
import { RegisterSpace, STATUS_UNCLAIMED } from '../regs/register-space.js';

/** A FunctionModel that also reports how its last access went (0 ok, 1 unclaimed, 2 bad-access). */
export interface StatusReportingFunction extends FunctionModel {
  lastStatus(): number;
}

export class EmulatedFunction implements StatusReportingFunction {
  private status = 0;
  private readonly bars: (RegisterSpace | undefined)[];
  private readonly sizes: number[];

  constructor(
    readonly cfg: RegisterSpace,
    bars: readonly (RegisterSpace | undefined)[],
  ) {
    this.bars = [0, 1, 2, 3, 4, 5].map((i) => bars[i]);
    this.sizes = this.bars.map((b) => (b ? b.size : 0));
  }

  lastStatus(): number {
    return this.status;
  }

  cfgRead(offset: number, width: CfgWidth): number {
    const v = this.cfg.read(offset, width);
    this.status = this.cfg.status;
    return v;
  }

  cfgWrite(offset: number, width: CfgWidth, value: number): void {
    this.cfg.write(offset, width, value);
    this.status = this.cfg.status;
  }

  barRead(bar: number, offset: number, width: CfgWidth): number {
    const s = this.bars[bar];
    if (s === undefined) {
      this.status = STATUS_UNCLAIMED;
      return width === 4 ? 0xffff_ffff : (1 << (8 * width)) - 1;
    }
    const v = s.read(offset, width);
    this.status = s.status;
    return v;
  }

  barWrite(bar: number, offset: number, width: CfgWidth, value: number): void {
    const s = this.bars[bar];
    if (s === undefined) {
      this.status = STATUS_UNCLAIMED;
      return;
    }
    s.write(offset, width, value);
    this.status = s.status;
  }

  barRead64(bar: number, offset: number): bigint {
    const s = this.bars[bar];
    if (s === undefined) {
      this.status = STATUS_UNCLAIMED;
      return 0xffff_ffff_ffff_ffffn;
    }
    const v = s.read64(offset);
    this.status = s.status;
    return v;
  }

  barWrite64(bar: number, offset: number, value: bigint): void {
    const s = this.bars[bar];
    if (s === undefined) {
      this.status = STATUS_UNCLAIMED;
      return;
    }
    s.write64(offset, value);
    this.status = s.status;
  }

  barSizes(): readonly number[] {
    return this.sizes;
  }
}
