// The synchronous device side of one PCI function: what an emulated function implements, what the topology
// bus routes to, and what a simulated-silicon server (hil/sim) serves over a wire protocol. Never throws:
// unclaimed reads return all-ones, writes to nothing are dropped (DESIGN.md section 2).

import type { CfgWidth } from './access.js';

export interface FunctionModel {
  cfgRead(offset: number, width: CfgWidth): number;
  cfgWrite(offset: number, width: CfgWidth, value: number): void;
  /** BAR-relative access of 1/2/4 bytes. */
  barRead(bar: number, offset: number, width: CfgWidth): number;
  barWrite(bar: number, offset: number, width: CfgWidth, value: number): void;
  /** BAR-relative 64-bit access (blocks that do not allow it behave as silicon would: split or all-ones). */
  barRead64(bar: number, offset: number): bigint;
  barWrite64(bar: number, offset: number, value: bigint): void;
  /** Size in bytes of each implemented BAR (index = BAR number; 0 = not implemented). */
  barSizes(): readonly number[];
}
