// What this machine has for a QEMU + Linux run: qemu-system-x86_64 (and what its cxl-type3 accepts), a kernel
// image with its CXL modules, a static busybox, and ndctl's `cxl` with its shared libraries. Each finding says
// where it was found, or what is missing and how to get it (Debian package names).

import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { QEMU_7_2_CAPS, type QemuCaps } from './qemu-facts.js';

export interface Found<T> {
  ok: true;
  value: T;
  detail: string;
}
export interface Missing {
  ok: false;
  /** What is missing, in a sentence. */
  problem: string;
  /** How to get it. */
  fix: string;
}
export type Finding<T> = Found<T> | Missing;

export interface QemuBinary {
  path: string;
  version: string;
  caps: QemuCaps;
}

export interface GuestKernel {
  image: string;
  /** The kernel release (directory name under /lib/modules). */
  release: string;
  modulesDir: string;
  /** CXL modules present as files (cxl_acpi, cxl_pci, cxl_mem, cxl_pmem, ...) and those built in. */
  cxlModules: string[];
  builtin: string[];
}

export interface HostTools {
  qemu: Finding<QemuBinary>;
  kernel: Finding<GuestKernel>;
  busybox: Finding<string>;
  /** ndctl's cxl (optional for booting; needed for `cxl list` and regions). */
  cxl: Finding<string>;
}

const which = (cmd: string): string | null => {
  for (const dir of (process.env.PATH ?? '/usr/bin:/bin').split(':')) {
    const p = join(dir, cmd);
    try {
      if (statSync(p).isFile()) return p;
    } catch {
      /* not here */
    }
  }
  return null;
};

/** The modules Linux's CXL driver needs for a Type 3 memory device (drivers/cxl, Linux 6.1 names). */
export const CXL_MODULES = ['cxl_acpi', 'cxl_pci', 'cxl_mem', 'cxl_pmem'] as const;
/** Built into the kernel or loaded as modules; without these there is no CXL bus in the guest. */
export const CXL_REQUIRED = ['cxl_acpi', 'cxl_pci', 'cxl_mem'] as const;

export function findQemu(explicit?: string): Finding<QemuBinary> {
  const path = explicit ?? which('qemu-system-x86_64');
  if (!path || !existsSync(path))
    return { ok: false, problem: explicit ? `no QEMU at ${explicit}` : 'qemu-system-x86_64 is not on PATH', fix: 'apt-get install qemu-system-x86 (QEMU 7.2 or later has CXL)' };
  let version: string;
  let help: string;
  try {
    version = /version (\d+\.\d+(?:\.\d+)?)/.exec(execFileSync(path, ['--version'], { encoding: 'utf8', timeout: 10_000 }))?.[1] ?? 'unknown';
    help = execFileSync(path, ['-device', 'cxl-type3,help'], { encoding: 'utf8', timeout: 10_000, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    return { ok: false, problem: `${path} has no cxl-type3 device (${(e as Error).message.split('\n')[0]})`, fix: 'install QEMU 7.2 or later (apt-get install qemu-system-x86)' };
  }
  const caps: QemuCaps = {
    persistentMemdev: /\bpersistent-memdev=/.test(help) ? 'persistent-memdev' : /\bmemdev=/.test(help) ? 'memdev' : QEMU_7_2_CAPS.persistentMemdev,
    volatileMemdev: /\bvolatile-memdev=/.test(help),
  };
  return { ok: true, value: { path, version, caps }, detail: `${path} (QEMU ${version}; cxl-type3 ${caps.persistentMemdev}=${caps.volatileMemdev ? ', volatile-memdev=' : ''})` };
}

const releaseOf = (image: string): string => basename(image).replace(/^vmlinuz-/, '');

/** Modules under drivers/cxl of a release, and CXL drivers built in (modules.builtin). */
function cxlModulesOf(modulesDir: string): { files: string[]; builtin: string[] } {
  const files: string[] = [];
  const walk = (dir: string) => {
    if (!existsSync(dir)) return;
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(dir, e.name));
      else if (/\.ko(\.(xz|zst|gz))?$/.test(e.name)) files.push(e.name.replace(/\.ko.*$/, ''));
    }
  };
  walk(join(modulesDir, 'kernel/drivers/cxl'));
  let builtin: string[] = [];
  try {
    builtin = readFileSync(join(modulesDir, 'modules.builtin'), 'utf8')
      .split('\n')
      .filter((l) => l.includes('drivers/cxl/'))
      .map((l) => basename(l).replace(/\.ko$/, ''));
  } catch {
    /* no list: nothing known built in */
  }
  return { files, builtin };
}

/** The guest kernel: `explicit` (an image path), else the newest /boot/vmlinuz-* whose modules have CXL. */
export function findKernel(explicit?: string, modulesRoot = '/lib/modules', bootDir = '/boot'): Finding<GuestKernel> {
  const fix = 'apt-get install linux-image-amd64 (Debian kernels build the CXL drivers as modules), or give --kernel PATH with its modules under /lib/modules/<release>';
  let images: string[];
  if (explicit) {
    if (!existsSync(explicit)) return { ok: false, problem: `no kernel image at ${explicit}`, fix };
    images = [explicit];
  } else {
    images = existsSync(bootDir)
      ? readdirSync(bootDir)
          .filter((f) => f.startsWith('vmlinuz-'))
          .sort()
          .reverse()
          .map((f) => join(bootDir, f))
      : [];
    if (images.length === 0) return { ok: false, problem: `no kernel image (vmlinuz-*) in ${bootDir}`, fix };
  }
  const problems: string[] = [];
  for (const image of images) {
    const release = releaseOf(image);
    const modulesDir = join(modulesRoot, release);
    if (!existsSync(modulesDir)) {
      problems.push(`${image}: no modules at ${modulesDir}`);
      continue;
    }
    const { files, builtin } = cxlModulesOf(modulesDir);
    const have = new Set([...files, ...builtin]);
    const lacking = CXL_REQUIRED.filter((m) => !have.has(m));
    if (lacking.length) {
      problems.push(`${image}: kernel ${release} has no CXL driver (${lacking.join(', ')} neither a module under ${modulesDir}/kernel/drivers/cxl nor built in)`);
      continue;
    }
    return {
      ok: true,
      value: { image, release, modulesDir, cxlModules: files.sort(), builtin: builtin.sort() },
      detail: `${image} (modules: ${files.sort().join(', ')}${builtin.length ? `; built in: ${builtin.join(', ')}` : ''})`,
    };
  }
  return { ok: false, problem: problems.join('; '), fix };
}

/** True when an ELF file has no program interpreter (statically linked). */
export function isStaticElf(path: string): boolean {
  const b = readFileSync(path);
  if (b.length < 64 || b.readUInt32BE(0) !== 0x7f454c46 || b[4] !== 2) return false; // ELF64 only
  const phoff = Number(b.readBigUInt64LE(32));
  const phentsize = b.readUInt16LE(54);
  const phnum = b.readUInt16LE(56);
  for (let i = 0; i < phnum; i++) if (b.readUInt32LE(phoff + i * phentsize) === 3) return false; // PT_INTERP
  return true;
}

export function findBusybox(): Finding<string> {
  for (const p of ['/bin/busybox', '/usr/bin/busybox', which('busybox')]) {
    if (p && existsSync(p) && isStaticElf(p)) return { ok: true, value: p, detail: `${p} (static)` };
  }
  return { ok: false, problem: 'no statically linked busybox', fix: 'apt-get install busybox-static' };
}

export function findCxlTool(): Finding<string> {
  const p = which('cxl');
  if (p) return { ok: true, value: p, detail: p };
  return { ok: false, problem: "ndctl's cxl tool is not installed (no `cxl list`, no regions)", fix: 'apt-get install ndctl' };
}

export function findHostTools(opts: { qemu?: string; kernel?: string } = {}): HostTools {
  return { qemu: findQemu(opts.qemu), kernel: findKernel(opts.kernel), busybox: findBusybox(), cxl: findCxlTool() };
}

/** Shared libraries an ELF needs (ldd), with the dynamic loader; [] when static. */
export function sharedLibraries(elf: string): string[] {
  if (isStaticElf(elf)) return [];
  const out = execFileSync('ldd', [elf], { encoding: 'utf8', timeout: 10_000 });
  const libs = new Set<string>();
  for (const line of out.split('\n')) {
    const m = /=>\s*(\/\S+)/.exec(line) ?? /^\s*(\/\S+)\s+\(/.exec(line);
    if (m) libs.add(m[1]);
  }
  return [...libs];
}
