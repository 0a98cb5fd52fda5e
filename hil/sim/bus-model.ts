// A FunctionModel seen from a bridge's bus: 32-bit words at byte addresses, placed by a DeviceMap. What the
// simulated-silicon servers call for every Wishbone word. Addresses no window claims read all-ones (a
// Wishbone bus with no slave there times out to all-ones) and swallow writes. The 'mem' window is not served
// (a FunctionModel has no memory path): all-ones.

import type { FunctionModel } from '../../common/function-model.js';
import { locate, type DeviceMap } from '../device-map.js';

export interface BusModel {
  read32(addr: number): number;
  write32(addr: number, value: number): void;
}

export function busModel(model: FunctionModel, map: DeviceMap): BusModel {
  return {
    read32(addr) {
      const at = locate(map, addr >>> 0);
      if (!at || at.space === 'mem') return 0xffff_ffff;
      if (at.space === 'cfg') return model.cfgRead(at.offset, 4) >>> 0;
      return model.barRead(Number(at.space.slice(3)), at.offset, 4) >>> 0;
    },
    write32(addr, value) {
      const at = locate(map, addr >>> 0);
      if (!at || at.space === 'mem') return;
      if (at.space === 'cfg') model.cfgWrite(at.offset, 4, value >>> 0);
      else model.barWrite(Number(at.space.slice(3)), at.offset, 4, value >>> 0);
    },
  };
}
