// Device maps for links the app opens (tests, runs, sims): a file the user names (plain map JSON, LiteX
// csr.json or csr.csv, hil/device-map.ts loadDeviceMap), or — without one — the packed map of the emulated
// Type 3 endpoint's BARs, which is also what `cxl-bench sim` serves, so a link test or a run against the
// simulator needs no map file.

import { readFileSync } from 'node:fs';
import { VirtualClock } from '../../common/clock.js';
import { createType3 } from '../../emulator/type3/type3-device.js';
import { defaultType3Config } from '../../emulator/type3/config.js';
import { loadDeviceMap, packedDeviceMap, type DeviceMap } from '../../hil/device-map.js';

let fallback: DeviceMap | null = null;

/** The default map: config space then each BAR of the emulated Type 3 endpoint, packed (hil packedDeviceMap). */
export function defaultEndpointMap(): DeviceMap {
  fallback ??= packedDeviceMap(createType3(defaultType3Config(), new VirtualClock()).fn.barSizes());
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
