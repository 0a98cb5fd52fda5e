// The platform of a run in which some endpoints are hardware (DESIGN.md 3: "swapping is a topology edit"):
// the emulated platform's host bridges, ports, CEDT and memory path, with every config access firmware or the
// host makes by BDF to a replaced node going to its hardware Target instead of the emulated model.
//
// Limits, on purpose: MMIO by physical address and the HPA memory path still reach the emulated model of a
// replaced endpoint — host sequences reach an endpoint's BARs through its Target (BAR-relative), which is the
// hardware's; and an endpoint's memory window over a link is a device-map feature the HIL layer owns.

import type { CfgWidth } from '../../common/access.js';
import type { MemAccessResult, Platform } from '../../common/platform.js';
import type { Target } from '../../common/target.js';
import type { Bdf, Hpa } from '../../common/units.js';
import type { EmulatedPlatform } from '../../emulator/topology/platform.js';

export class HardwarePlatform implements Platform {
  private readonly merged: ReadonlyMap<string, Target>;

  constructor(
    private readonly emu: EmulatedPlatform,
    private readonly hardware: ReadonlyMap<string, Target>,
  ) {
    const m = new Map(emu.targets());
    for (const [path, t] of hardware) m.set(path, t);
    this.merged = m;
  }

  /** The hardware Target a BDF resolves to, if the emulated bus routes it to a replaced node. */
  private hw(b: Bdf): Target | undefined {
    const f = this.emu.findFunction(b);
    return f ? this.hardware.get(f.path) : undefined;
  }

  targets(): ReadonlyMap<string, Target> {
    return this.merged;
  }
  cedt(): Uint8Array {
    return this.emu.cedt();
  }
  cfgRead(b: Bdf, offset: number, width: CfgWidth): Promise<number> {
    return this.hw(b)?.cfgRead(offset, width) ?? this.emu.cfgRead(b, offset, width);
  }
  cfgWrite(b: Bdf, offset: number, width: CfgWidth, value: number): Promise<void> {
    return this.hw(b)?.cfgWrite(offset, width, value) ?? this.emu.cfgWrite(b, offset, width, value);
  }
  mmioRead(addr: number, width: CfgWidth): Promise<number> {
    return this.emu.mmioRead(addr, width);
  }
  mmioWrite(addr: number, width: CfgWidth, value: number): Promise<void> {
    return this.emu.mmioWrite(addr, width, value);
  }
  memRead(addr: Hpa, out: Uint8Array): Promise<MemAccessResult> {
    return this.emu.memRead(addr, out);
  }
  memWrite(addr: Hpa, data: Uint8Array): Promise<MemAccessResult> {
    return this.emu.memWrite(addr, data);
  }
}
