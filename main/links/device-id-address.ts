// Where a link test reads the endpoint's Vendor/Device ID: config space offset 0x00 (PCI 3.0 6.2.1), at the
// config window's base in the device map.

import { sysfsDeviceMap } from '../../hil/device-map.js';
import { parseLinkUri } from '../../hil/link.js';
import { endpointDeviceMap } from './device-maps.js';

export async function deviceIdAddress(mapFile?: string): Promise<number> {
  return endpointDeviceMap(mapFile).cfg.base;
}

/** What a link test needs of the endpoint's device map: the ID register's address and the memory window. */
export function linkTestAddresses(mapFile?: string, uri?: string): { idAddress: number; memWindow?: { base: number; size: number } } {
  // A sysfs function's config space is at bus address 0 of its link (hil/sysfs), and it has no memory window.
  const m = mapFile === undefined && uri !== undefined && parseLinkUri(uri).transport === 'sysfs' ? sysfsDeviceMap() : endpointDeviceMap(mapFile);
  return { idAddress: m.cfg.base, ...(m.mem ? { memWindow: m.mem } : {}) };
}
