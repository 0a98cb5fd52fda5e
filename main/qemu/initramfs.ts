// The guest's initramfs, built by the bench from this machine's files: a static busybox (with the applets the
// init script uses), the kernel's CXL modules and every module they depend on (modules.dep), ndctl's `cxl`
// with its shared libraries (ldd) when installed, the generated /init, and optionally a user's extra tree.
// Written gzip-compressed to a cache file named by the hash of its content.

import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import { writeCpio, type CpioEntry } from './cpio.js';
import { BUSYBOX_APPLETS, guestInitScript } from './guest-init.js';
import { CXL_MODULES, sharedLibraries, type GuestKernel } from './host-tools.js';

export interface InitramfsInput {
  kernel: GuestKernel;
  busybox: string;
  /** ndctl's cxl, or null when not installed (the guest then skips `cxl list` and regions). */
  cxl: string | null;
  /** A directory whose tree is added at / (after everything else). */
  extraDir?: string;
  cacheDir?: string;
}

export interface Initramfs {
  path: string;
  bytes: number;
  /** Module files included, relative to the modules dir, in load-dependency order. */
  modules: string[];
  /** CXL modules the init script loads (present as files; built-in ones need no loading). */
  loads: string[];
}

/** modules.dep: "kernel/drivers/cxl/cxl_pmem.ko: kernel/drivers/nvdimm/libnvdimm.ko" → map. */
export function parseModulesDep(text: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const line of text.split('\n')) {
    const i = line.indexOf(':');
    if (i < 0) continue;
    out.set(line.slice(0, i).trim(), line.slice(i + 1).trim().split(/\s+/).filter(Boolean));
  }
  return out;
}

const moduleName = (file: string): string => file.replace(/^.*\//, '').replace(/\.ko.*$/, '').replace(/-/g, '_');

/** The module files to include for `wanted` (names), with their dependencies, in an order that loads. */
export function resolveModules(dep: Map<string, string[]>, wanted: readonly string[]): { files: string[]; missing: string[] } {
  const byName = new Map<string, string>();
  for (const f of dep.keys()) byName.set(moduleName(f), f);
  const files: string[] = [];
  const seen = new Set<string>();
  const missing: string[] = [];
  const visit = (f: string) => {
    if (seen.has(f)) return;
    seen.add(f);
    for (const d of dep.get(f) ?? []) visit(d);
    files.push(f);
  };
  for (const w of wanted) {
    const f = byName.get(w.replace(/-/g, '_'));
    if (f) visit(f);
    else missing.push(w);
  }
  return { files, missing };
}

function addParents(entries: CpioEntry[], dirs: Set<string>, path: string): void {
  const parts = path.split('/').slice(0, -1);
  for (let i = 1; i <= parts.length; i++) {
    const d = parts.slice(0, i).join('/');
    if (d && !dirs.has(d)) {
      dirs.add(d);
      entries.push({ kind: 'dir', path: d });
    }
  }
}

export function initramfsEntries(input: InitramfsInput): { entries: CpioEntry[]; modules: string[]; loads: string[] } {
  const entries: CpioEntry[] = [];
  const dirs = new Set<string>();
  const dir = (p: string) => {
    addParents(entries, dirs, p + '/x');
  };
  const file = (p: string, data: Uint8Array, mode = 0o644) => {
    addParents(entries, dirs, p);
    entries.push({ kind: 'file', path: p, data, mode });
  };
  for (const d of ['bin', 'sbin', 'usr/bin', 'proc', 'sys', 'dev', 'tmp', 'etc', 'run']) dir(d);
  file('bin/busybox', readFileSync(input.busybox), 0o755);
  for (const a of BUSYBOX_APPLETS) entries.push({ kind: 'symlink', path: `bin/${a}`, target: 'busybox' });

  const { kernel } = input;
  const depText = readFileSync(join(kernel.modulesDir, 'modules.dep'), 'utf8');
  const dep = parseModulesDep(depText);
  const present = CXL_MODULES.filter((m) => kernel.cxlModules.includes(m));
  const { files } = resolveModules(dep, present);
  const modRoot = `lib/modules/${kernel.release}`;
  for (const f of files) file(`${modRoot}/${f}`, readFileSync(join(kernel.modulesDir, f)));
  // A modules.dep of what is included, so busybox modprobe resolves dependencies among them only.
  file(`${modRoot}/modules.dep`, new TextEncoder().encode(files.map((f) => `${f}: ${(dep.get(f) ?? []).join(' ')}`.trimEnd() + '\n').join('')));
  for (const extra of ['modules.builtin', 'modules.order']) {
    const p = join(kernel.modulesDir, extra);
    if (existsSync(p)) file(`${modRoot}/${extra}`, readFileSync(p));
  }

  if (input.cxl) {
    file('usr/bin/cxl', readFileSync(input.cxl), 0o755);
    for (const lib of sharedLibraries(input.cxl)) file(lib.replace(/^\/+/, ''), readFileSync(lib), 0o755);
  }
  file('init', new TextEncoder().encode(guestInitScript(present)), 0o755);

  if (input.extraDir) {
    const root = input.extraDir;
    const walk = (d: string) => {
      for (const e of readdirSync(d, { withFileTypes: true })) {
        const p = join(d, e.name);
        const rel = relative(root, p);
        if (e.isDirectory()) {
          dir(rel);
          walk(p);
        } else if (e.isFile()) file(rel, readFileSync(p), statSync(p).mode & 0o777);
      }
    };
    walk(root);
  }
  return { entries, modules: files, loads: present };
}

/** Build (or reuse from the cache) the initramfs; returns its path. */
export function buildInitramfs(input: InitramfsInput): Initramfs {
  const { entries, modules, loads } = initramfsEntries(input);
  const cpio = writeCpio(entries);
  const hash = createHash('sha256').update(cpio).digest('hex').slice(0, 16);
  const cacheDir = input.cacheDir ?? join(tmpdir(), 'cxl-bench-qemu');
  const path = join(cacheDir, `initramfs-${input.kernel.release}-${hash}.cpio.gz`);
  if (!existsSync(path)) {
    mkdirSync(dirname(path), { recursive: true });
    const tmp = `${path}.${process.pid}.tmp`;
    writeFileSync(tmp, gzipSync(cpio, { level: 1 }));
    // rename is atomic: a concurrent builder of the same content writes the same bytes.
    renameSync(tmp, path);
  }
  return { path, bytes: statSync(path).size, modules, loads };
}
