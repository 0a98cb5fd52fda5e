// Where a link test reads the endpoint's Vendor/Device ID: config space offset 0 as the device map places it
// on the bridge's bus. Without a map file, the HIL default map's config space base.

export const DEFAULT_CONFIG_BASE = 0;

export async function deviceIdAddress(mapFile?: string): Promise<number> {
  if (mapFile === undefined) return DEFAULT_CONFIG_BASE;
  throw new Error(`device maps are not supported yet (${mapFile})`);
}
