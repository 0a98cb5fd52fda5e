// Where a link test reads the endpoint's Vendor/Device ID: config space offset 0x00 (PCI 3.0 6.2.1), at the
// config window's base in the device map.

import { endpointDeviceMap } from './device-maps.js';

export async function deviceIdAddress(mapFile?: string): Promise<number> {
  return endpointDeviceMap(mapFile).cfg.base;
}

/** What a link test needs of the endpoint's device map: the ID register's address and the memory window. */
export function linkTestAddresses(mapFile?: string): { idAddress: number; memWindow?: { base: number; size: number } } {
  const m = endpointDeviceMap(mapFile);
  return { idAddress: m.cfg.base, ...(m.mem ? { memWindow: m.mem } : {}) };
}
