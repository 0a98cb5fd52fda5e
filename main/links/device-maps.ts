// Device maps for links the app opens (tests, runs, sims): a file the user names (plain map JSON, LiteX
// csr.json or csr.csv, hil/device-map.ts loadDeviceMap), or — without one — the packed map of the emulated
// Type 3 endpoint's BARs, which is also what `cxl-bench sim` serves, so a link test or a run against the
// simulator needs no map file.

import { readFileSync } from 'node:fs';
import { VirtualClock } from '../../common/clock.js';
import { loadDeviceMap, packedDeviceMap, type DeviceMap } from '../../hil/device-map.js';
import { simEndpoint } from './sim-endpoint.js';

let fallback: DeviceMap | null = null;

/**
 * The default map: config space, then each BAR of the emulated Type 3 endpoint, then its memory by DPA, packed
 * (hil packedDeviceMap).
 */
export function defaultEndpointMap(): DeviceMap {
  if (!fallback) {
    const ep = simEndpoint(new VirtualClock());
    fallback = packedDeviceMap(ep.fn.barSizes(), undefined, ep.capacityBytes);
  }
  return fallback;
}

/** The map in `file`, or the default map. Throws with the file name and what is wrong. */
export function endpointDeviceMap(file?: string): DeviceMap {
  if (file === undefined) return defaultEndpointMap();
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new Error(`cannot read device map ${file}: ${(e as Error).message}`);
  }
  try {
    return loadDeviceMap(text);
  } catch (e) {
    throw new Error(`${file}: ${(e as Error).message}`);
  }
}
