// Where a link test reads the endpoint's Vendor/Device ID: config space offset 0x00 (PCI 3.0 6.2.1), at the
// config window's base in the device map.

import { endpointDeviceMap } from './device-maps.js';

export async function deviceIdAddress(mapFile?: string): Promise<number> {
  return endpointDeviceMap(mapFile).cfg.base;
}
