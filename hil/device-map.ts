// Where each CXL space of one endpoint lives on a bridge's bus (DESIGN.md 3): config space, BAR0 (component
// registers), BAR2 (device registers), optionally BAR4 and a memory window. Written in a topology file or
// imported from a LiteX csr.json / csr.csv (memory regions, e.g. cxl_cfg, cxl_bar0, cxl_bar2, cxl_mem).

import { z } from 'zod';
import { SYSFS_BAR_BASE, SYSFS_CFG_SIZE } from './sysfs/sysfs-pci-link.js';

export interface BusWindow {
  /** Byte address on the bridge's bus. */
  base: number;
  /** Bytes. */
  size: number;
}

export interface DeviceMap {
  cfg: BusWindow;
  bar0: BusWindow;
  bar2: BusWindow;
  bar1?: BusWindow;
  bar3?: BusWindow;
  bar4?: BusWindow;
  bar5?: BusWindow;
  mem?: BusWindow;
}

export const DEVICE_MAP_SPACES = ['cfg', 'bar0', 'bar1', 'bar2', 'bar3', 'bar4', 'bar5', 'mem'] as const;
export type DeviceMapSpace = (typeof DEVICE_MAP_SPACES)[number];

export class DeviceMapError extends Error {
  override name = 'DeviceMapError';
}

const u32 = z.number().int('must be an integer').min(0, 'must be >= 0').max(0xffff_ffff, 'must fit 32 bits');
const windowSchema = z
  .object({
    base: u32.refine((v) => v % 4 === 0, 'must be 4-byte aligned'),
    size: u32.refine((v) => v > 0, 'must be > 0').refine((v) => v % 4 === 0, 'must be a multiple of 4'),
  })
  .strict()
  .refine((w) => w.base + w.size <= 2 ** 32, { message: 'base + size runs past the 32-bit bus', path: ['size'] });

const mapSchema = z
  .object({
    cfg: windowSchema,
    bar0: windowSchema,
    bar2: windowSchema,
    bar1: windowSchema.optional(),
    bar3: windowSchema.optional(),
    bar4: windowSchema.optional(),
    bar5: windowSchema.optional(),
    mem: windowSchema.optional(),
  })
  .strict();

/** Validate a device map; errors name the field ("bar0.size: must be > 0") and overlapping windows. */
export function parseDeviceMap(input: unknown): DeviceMap {
  const r = mapSchema.safeParse(input);
  if (!r.success) {
    const msgs = r.error.issues.map((i) => `${i.path.join('.') || '(map)'}: ${i.message}`);
    throw new DeviceMapError(`device map: ${msgs.join('; ')}`);
  }
  const m = r.data as DeviceMap;
  const spaces = DEVICE_MAP_SPACES.filter((s) => m[s]);
  for (let i = 0; i < spaces.length; i++)
    for (let j = i + 1; j < spaces.length; j++) {
      const a = m[spaces[i]]!;
      const b = m[spaces[j]]!;
      if (a.base < b.base + b.size && b.base < a.base + a.size)
        throw new DeviceMapError(`device map: ${spaces[i]} and ${spaces[j]} overlap (0x${a.base.toString(16)}+0x${a.size.toString(16)} vs 0x${b.base.toString(16)}+0x${b.size.toString(16)})`);
    }
  return m;
}

/** Which LiteX memory region names hold which space. */
export type CsrNaming = Partial<Record<DeviceMapSpace, string>>;
export const DEFAULT_CSR_NAMING: Required<CsrNaming> = {
  cfg: 'cxl_cfg',
  bar0: 'cxl_bar0',
  bar1: 'cxl_bar1',
  bar2: 'cxl_bar2',
  bar3: 'cxl_bar3',
  bar4: 'cxl_bar4',
  bar5: 'cxl_bar5',
  mem: 'cxl_mem',
};

function fromRegions(regions: Map<string, BusWindow>, naming: CsrNaming, source: string): DeviceMap {
  const names = { ...DEFAULT_CSR_NAMING, ...naming };
  const out: Record<string, BusWindow> = {};
  for (const s of DEVICE_MAP_SPACES) {
    const w = regions.get(names[s].toLowerCase());
    if (w) out[s] = { base: w.base, size: w.size };
  }
  const missing = (['cfg', 'bar0', 'bar2'] as const).filter((s) => !out[s]).map((s) => `${s} (memory region "${names[s]}")`);
  if (missing.length)
    throw new DeviceMapError(`${source}: missing ${missing.join(', ')}; memory regions present: ${[...regions.keys()].join(', ') || 'none'}`);
  return parseDeviceMap(out);
}

const num = (v: unknown): number => (typeof v === 'number' ? v : typeof v === 'string' ? Number(v.trim()) : NaN);

/** LiteX csr.json (litex/soc/integration/export.py get_csr_json): `memories {name: {base, size, type}}`. */
export function importCsrJson(text: string, naming: CsrNaming = {}): DeviceMap {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new DeviceMapError(`csr.json: not JSON: ${(e as Error).message}`);
  }
  const mems = (doc as { memories?: Record<string, { base?: unknown; size?: unknown }> } | null)?.memories;
  if (!mems || typeof mems !== 'object') throw new DeviceMapError('csr.json: no "memories" object');
  const regions = new Map<string, BusWindow>();
  for (const [name, m] of Object.entries(mems)) regions.set(name.toLowerCase(), { base: num(m?.base), size: num(m?.size) });
  return fromRegions(regions, naming, 'csr.json');
}

/** LiteX csr.csv (export.py get_csr_csv): rows `memory_region,NAME,ORIGIN,SIZE,TYPE`; '#' lines are comments. */
export function importCsrCsv(text: string, naming: CsrNaming = {}): DeviceMap {
  const regions = new Map<string, BusWindow>();
  text.split(/\r?\n/).forEach((line, i) => {
    const t = line.trim();
    if (t === '' || t.startsWith('#')) return;
    const cols = t.split(',');
    if (cols[0] !== 'memory_region') return;
    if (cols.length < 4) throw new DeviceMapError(`csr.csv line ${i + 1}: memory_region needs NAME,ORIGIN,SIZE`);
    // As litex/tools/remote/csr_builder.py reads them: origin is hex (with or without 0x), size decimal.
    const o = cols[2].trim().replace(/^0x/i, '');
    const base = /^[0-9a-f]+$/i.test(o) ? parseInt(o, 16) : NaN;
    const size = num(cols[3]);
    if (!Number.isFinite(base) || !Number.isFinite(size)) throw new DeviceMapError(`csr.csv line ${i + 1}: origin/size "${cols[2]}", "${cols[3]}" are not numbers`);
    regions.set(cols[1].toLowerCase(), { base, size });
  });
  return fromRegions(regions, naming, 'csr.csv');
}

/** A device map from a file's text: a plain map (JSON with "cfg"), a csr.json, or a csr.csv. */
export function loadDeviceMap(text: string, naming: CsrNaming = {}): DeviceMap {
  const t = text.trim();
  if (t.startsWith('{')) {
    let doc: unknown;
    try {
      doc = JSON.parse(t);
    } catch (e) {
      throw new DeviceMapError(`device map: not JSON: ${(e as Error).message}`);
    }
    if (doc && typeof doc === 'object' && 'cfg' in doc) return parseDeviceMap(doc);
    return importCsrJson(t, naming);
  }
  return importCsrCsv(t, naming);
}

/** The map for a sysfs link (config space at 0, BAR n at (n + 1) << 28, see hil/sysfs). */
export function sysfsDeviceMap(barSizes: readonly number[] = [0x10000, 0, 0x10000]): DeviceMap {
  const m: Record<string, BusWindow> = { cfg: { base: 0, size: SYSFS_CFG_SIZE } };
  barSizes.forEach((size, n) => {
    if (size > 0) m[`bar${n}`] = { base: SYSFS_BAR_BASE(n), size: Math.min(size, 0x1000_0000) };
  });
  return parseDeviceMap(m);
}

/** A compact default map for bridges built for this project: 4 KiB cfg, then each BAR, 64 KiB aligned. */
export function packedDeviceMap(barSizes: readonly number[], base = 0x4000_0000, memBytes = 0): DeviceMap {
  const m: Record<string, BusWindow> = { cfg: { base, size: 0x1000 } };
  let next = base + 0x10000;
  barSizes.forEach((size, n) => {
    if (size <= 0 || n > 5) return;
    const align = Math.max(0x10000, 2 ** Math.ceil(Math.log2(size)));
    next = Math.ceil(next / align) * align;
    m[`bar${n}`] = { base: next, size };
    next += size;
  });
  // The memory window, naturally aligned after the BARs; a device larger than the rest of the 32-bit bus gets
  // what fits (DPAs above it read as unrouted through this map).
  if (memBytes > 0) {
    const align = Math.min(2 ** 31, 2 ** Math.ceil(Math.log2(memBytes)));
    const at = Math.ceil(next / align) * align;
    const size = Math.min(memBytes, 2 ** 32 - at);
    if (size >= 4) m.mem = { base: at, size: size - (size % 4) };
  }
  return parseDeviceMap(m);
}

/** Which space (and offset in it) a bus address falls in, or null. */
export function locate(map: DeviceMap, addr: number): { space: DeviceMapSpace; offset: number } | null {
  for (const s of DEVICE_MAP_SPACES) {
    const w = map[s];
    if (w && addr >= w.base && addr < w.base + w.size) return { space: s, offset: addr - w.base };
  }
  return null;
}
