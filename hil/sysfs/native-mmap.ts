// Loads the sysfs_mmap addon (hil/sysfs/native/sysfs_mmap.c) built by node-gyp into native/build/Release. It maps
// a PCI resource file and does single volatile loads/stores of the requested width. The loader never throws: when
// the addon is absent (not built: no compiler at install) it says so and how to build it, and BAR access through
// SysfsPciLink then rejects with SysfsBarUnsupportedError carrying that text.

import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { constants as osConstants } from 'node:os';
import { fileURLToPath } from 'node:url';

declare const handleBrand: unique symbol;
/** An open mapping (an N-API external); pass back to the addon's functions only. */
export type MmapHandle = { readonly [handleBrand]: true };

/** The addon's functions. Accessors throw on bad offsets (RangeError, code ERR_SYSFS_BOUNDS / ERR_SYSFS_ALIGN). */
export interface MmapAddon {
  open(path: string, writable: boolean): MmapHandle;
  close(h: MmapHandle): void;
  size(h: MmapHandle): number;
  read8(h: MmapHandle, offset: number): number;
  read16(h: MmapHandle, offset: number): number;
  read32(h: MmapHandle, offset: number): number;
  read64(h: MmapHandle, offset: number): bigint;
  write8(h: MmapHandle, offset: number, value: number): void;
  write16(h: MmapHandle, offset: number, value: number): void;
  write32(h: MmapHandle, offset: number, value: number): void;
  write64(h: MmapHandle, offset: number, value: bigint): void;
}

export type NativeMmapLoad = { ok: true; addon: MmapAddon; path: string } | { ok: false; why: string };

/** Environment variable naming the .node file explicitly (a packaged or relocated build). */
export const SYSFS_ADDON_ENV = 'CXL_BENCH_SYSFS_ADDON';
export const SYSFS_ADDON_BUILD_HINT =
  'build it with `npm run build:native` (needs a C compiler, make and python3; see hil/sysfs/README.md)';

const ADDON = 'sysfs_mmap.node';

/**
 * Where the .node may be: $CXL_BENCH_SYSFS_ADDON; beside this source file (tsx, vitest); or, from a bundle
 * (electron-vite puts this code in out/main/*.js or a chunk below it), hil/sysfs/native/... in an ancestor.
 */
export function sysfsAddonCandidates(): string[] {
  const list: string[] = [];
  const env = process.env[SYSFS_ADDON_ENV];
  if (env) list.push(env);
  const rels = [`./native/build/Release/${ADDON}`];
  for (let up = 1; up <= 4; up++) rels.push(`${'../'.repeat(up)}hil/sysfs/native/build/Release/${ADDON}`);
  for (const rel of rels) {
    const p = fileURLToPath(new URL(rel, import.meta.url));
    // In a packaged app native files live beside the asar archive (electron-builder.yml asarUnpack).
    if (p.includes('.asar/')) list.push(p.replace('.asar/', '.asar.unpacked/'));
    if (!list.includes(p)) list.push(p);
  }
  return list;
}

let cached: NativeMmapLoad | null = null;

/** Load the addon once; { ok: false, why } says what was missing and how to build it. */
export function loadNativeMmap(): NativeMmapLoad {
  return (cached ??= loadNativeMmapFrom(sysfsAddonCandidates()));
}

/** Load the first existing file of `candidates` (uncached; loadNativeMmap is the cached default). */
export function loadNativeMmapFrom(candidates: readonly string[]): NativeMmapLoad {
  const require = createRequire(import.meta.url);
  const path = candidates.find((p) => existsSync(p));
  if (!path) return { ok: false, why: `the sysfs_mmap addon was not built (no ${ADDON} at ${candidates[0] ?? '(nowhere)'}); ${SYSFS_ADDON_BUILD_HINT}` };
  try {
    return { ok: true, addon: require(path) as MmapAddon, path };
  } catch (e) {
    return { ok: false, why: `the sysfs_mmap addon at ${path} does not load (${(e as Error).message}); ${SYSFS_ADDON_BUILD_HINT}` };
  }
}

/** errno name of an addon error (code "ERRNO_<n>") or a Node fs error (code "EACCES"), else undefined. */
export function errnoName(e: unknown): string | undefined {
  const code = (e as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return undefined;
  const m = /^ERRNO_(\d+)$/.exec(code);
  if (!m) return /^E[A-Z0-9]+$/.test(code) ? code : undefined;
  const n = Number(m[1]);
  return Object.entries(osConstants.errno).find(([, v]) => v === n)?.[0] ?? `errno ${n}`;
}
