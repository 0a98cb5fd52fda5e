// A FunctionModel seen from a bridge's bus: 32-bit words at byte addresses, placed by a DeviceMap. What the
// simulated-silicon servers call for every Wishbone word. Addresses no window claims read all-ones (a
// Wishbone bus with no slave there times out to all-ones) and swallow writes. The 'mem' window serves the
// device's memory by DPA (byte d at mem.base + d) when the simulator is given the device's media; without it,
// or where the media refuses the access (out of range, media disabled, locked), it reads all-ones and drops
// writes. Poisoned lines read their data: a Wishbone bridge has no way to carry poison.

import type { FunctionModel } from '../../common/function-model.js';
import type { Dpa } from '../../common/units.js';
import type { MemEndpoint } from '../../emulator/memory/hierarchy.js';
import { locate, type DeviceMap } from '../device-map.js';

/** The device's memory as the bridge reaches it (emulator/memory MemEndpoint's media side). */
export type BusMemory = Pick<MemEndpoint, 'mediaAccess' | 'read' | 'write'>;

export interface BusModel {
  read32(addr: number): number;
  write32(addr: number, value: number): void;
}

export function busModel(model: FunctionModel, map: DeviceMap, memory?: BusMemory): BusModel {
  const word = new Uint8Array(4);
  const view = new DataView(word.buffer);
  const media = (dpa: number): boolean => {
    const v = memory?.mediaAccess(dpa as Dpa, 4);
    return v === 'ok' || v === 'poisoned';
  };
  return {
    read32(addr) {
      const at = locate(map, addr >>> 0);
      if (!at) return 0xffff_ffff;
      if (at.space === 'mem') {
        if (!media(at.offset)) return 0xffff_ffff;
        memory!.read(at.offset as Dpa, word);
        return view.getUint32(0, true);
      }
      if (at.space === 'cfg') return model.cfgRead(at.offset, 4) >>> 0;
      return model.barRead(Number(at.space.slice(3)), at.offset, 4) >>> 0;
    },
    write32(addr, value) {
      const at = locate(map, addr >>> 0);
      if (!at) return;
      if (at.space === 'mem') {
        if (!media(at.offset)) return;
        view.setUint32(0, value >>> 0, true);
        memory!.write(at.offset as Dpa, word);
        return;
      }
      if (at.space === 'cfg') model.cfgWrite(at.offset, 4, value >>> 0);
      else model.barWrite(Number(at.space.slice(3)), at.offset, 4, value >>> 0);
    },
  };
}
