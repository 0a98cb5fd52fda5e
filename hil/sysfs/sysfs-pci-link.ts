// SysfsPciLink: a PCI function in this machine through Linux sysfs (Documentation/filesystems/sysfs-pci.rst).
// Config space is the `config` file: positioned reads/writes of exactly 1, 2 or 4 bytes (the kernel turns each
// into one config access of that width; little-endian, as PCI). Unprivileged readers see only the first 64
// bytes; the extended space (to 4 KiB) and all writes need root.
// BAR n is `resourceN`, opened on first use (sysfs-bar.ts): memory BARs mapped by the sysfs_mmap addon and
// accessed with single loads/stores of the requested width, I/O BARs by positioned reads/writes. `resource`
// says which BARs exist and what they are (sysfs-resources.ts). Everything is unmapped on close.
//
// Bus layout this link offers (so a DeviceMap can point at it like at any bridge): config space at
// 0x0000_0000 (4 KiB), BAR n at SYSFS_BAR_BASE(n) = (n + 1) << 28, each window 256 MiB at most.
// The sysfs root is injectable (option `root`, else $CXL_BENCH_SYSFS_ROOT, else /sys/bus/pci/devices) so tests
// can use a tree of regular files: mmap of a regular file takes the same code path as a resource file.

import { closeSync, existsSync, openSync, readdirSync, readFileSync, readSync, writeSync, constants } from 'node:fs';
import { DEFAULT_TIMEOUT_MS, LinkError, LinkEvents, type Link, type LinkEvent, type LinkListener } from '../link.js';
import { LinkStats, nowUs } from '../link-stats.js';
import { SysfsBarError, SysfsBarUnsupportedError } from './sysfs-bar-errors.js';
import { openSysfsBar, type SysfsBar } from './sysfs-bar.js';
import { loadNativeMmap, type NativeMmapLoad } from './native-mmap.js';
import { parseSysfsResources, sysfsBarSizes, SYSFS_BAR_COUNT, type SysfsResource } from './sysfs-resources.js';

export { SysfsBarError, SysfsBarUnsupportedError } from './sysfs-bar-errors.js';
export type { SysfsBarErrorReason } from './sysfs-bar-errors.js';

export const SYSFS_PCI_ROOT = '/sys/bus/pci/devices';
/** Environment variable overriding the sysfs PCI root (a fixture tree in tests). */
export const SYSFS_ROOT_ENV = 'CXL_BENCH_SYSFS_ROOT';
export const SYSFS_CFG_SIZE = 0x1000;
export const SYSFS_BAR_BASE = (bar: number): number => ((bar + 1) << 28) >>> 0;
export const SYSFS_BAR_WINDOW = 0x1000_0000;

/** The PCI root in effect: the given one, else $CXL_BENCH_SYSFS_ROOT, else /sys/bus/pci/devices. */
export function sysfsPciRoot(root?: string): string {
  return root ?? (process.env[SYSFS_ROOT_ENV] || SYSFS_PCI_ROOT);
}

export interface SysfsPciLinkOptions {
  bdf: string;
  uri?: string;
  timeoutMs?: number;
  /** Root of the PCI device directories (tests may point it at a fixture tree); default sysfsPciRoot(). */
  root?: string;
  /** Open config space and BARs read-only even when writes would be allowed (writes then fail with link-error). */
  readOnly?: boolean;
  /** The mmap addon to use (tests inject an absent one); default loadNativeMmap(). */
  native?: () => NativeMmapLoad;
}

type Route = { space: 'cfg'; offset: number } | { space: 'bar'; bar: number; offset: number };

export class SysfsPciLink implements Link {
  readonly transport = 'sysfs' as const;
  readonly uri: string;
  readonly bdf: string;
  readonly stats = new LinkStats();
  readonly maxBurstWords = 1024;
  timeoutMs: number;
  private fd: number | null = null;
  private writable = false;
  private readonly events = new LinkEvents();
  readonly dir: string;
  readonly configPath: string;
  private readonly readOnly: boolean;
  private resources: SysfsResource[] | null = null;
  private readonly bars = new Map<number, SysfsBar>();
  private readonly native: () => NativeMmapLoad;

  constructor(o: SysfsPciLinkOptions) {
    this.readOnly = o.readOnly ?? false;
    this.native = o.native ?? loadNativeMmap;
    this.bdf = o.bdf;
    const uri = o.uri ?? `sysfs:${o.bdf}`;
    // Messages start with the URI: make sure it names the BDF.
    this.uri = uri.toLowerCase().includes(o.bdf.toLowerCase()) ? uri : `${uri} (${o.bdf})`;
    this.timeoutMs = o.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.dir = `${sysfsPciRoot(o.root)}/${o.bdf}`;
    this.configPath = `${this.dir}/config`;
  }

  get isOpen(): boolean {
    return this.fd !== null;
  }

  on(event: LinkEvent, listener: LinkListener): () => void {
    return this.events.on(event, listener);
  }

  async open(): Promise<void> {
    if (this.fd !== null) return;
    if (!existsSync(this.configPath)) throw new LinkError('link-error', `${this.uri}: no such PCI function (${this.configPath} missing)`);
    try {
      if (this.readOnly) throw new Error('read-only requested');
      this.fd = openSync(this.configPath, constants.O_RDWR);
      this.writable = true;
    } catch {
      try {
        this.fd = openSync(this.configPath, constants.O_RDONLY);
        this.writable = false;
      } catch (e) {
        throw new LinkError('link-error', `${this.uri}: cannot open ${this.configPath}: ${(e as Error).message}`);
      }
    }
    this.events.emit('connected', { uri: this.uri });
  }

  /** Unmaps every BAR and closes config space. */
  async close(): Promise<void> {
    for (const b of this.bars.values()) b.close();
    this.bars.clear();
    this.resources = null;
    if (this.fd === null) return;
    closeSync(this.fd);
    this.fd = null;
  }

  async reconnect(): Promise<void> {
    await this.close();
    await this.open();
  }

  /** Sizes of BARs 0..5 from `resource` (0 = absent), e.g. for sysfsDeviceMap(link.barSizes()). */
  barSizes(): number[] {
    return sysfsBarSizes(this.resourceList(-1));
  }

  // ---- routing ----

  private route(addr: number): Route {
    if (this.fd === null) throw new LinkError('link-error', `${this.uri}: link is not open`);
    if (addr >= 0 && addr < SYSFS_CFG_SIZE) return { space: 'cfg', offset: addr };
    const bar = Math.floor(addr / SYSFS_BAR_WINDOW) - 1;
    if (!Number.isInteger(addr) || bar < 0 || bar >= SYSFS_BAR_COUNT)
      throw new SysfsBarError('not-a-bar', Math.max(bar, -1), null, `${this.uri}: bus address 0x${addr.toString(16)} is neither config space (0..0xfff) nor a BAR window (BAR n at (n + 1) << 28)`);
    return { space: 'bar', bar, offset: addr - SYSFS_BAR_BASE(bar) };
  }

  private resourceList(bar: number): SysfsResource[] {
    if (this.resources) return this.resources;
    const path = `${this.dir}/resource`;
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (e) {
      throw new SysfsBarError('no-resource-list', bar, null, `${this.uri}: cannot read ${path} (${(e as Error).message}): BAR sizes and types unknown`);
    }
    this.resources = parseSysfsResources(text);
    return this.resources;
  }

  /** The open BAR, mapping it on first use. */
  private barOf(bar: number): SysfsBar {
    let b = this.bars.get(bar);
    if (b) return b;
    // BARs follow config space: read-only when config space is (not root, or readOnly asked for).
    const readOnly = this.readOnly || !this.writable;
    b = openSysfsBar({ dir: this.dir, uri: this.uri, bar, resources: this.resourceList(bar), readOnly, command: this.command(), native: this.native });
    this.bars.set(bar, b);
    return b;
  }

  /** Command register (PCIe Base 7.5.1.1.3), or null when it cannot be read. */
  private command(): number | null {
    const buf = new Uint8Array(2);
    try {
      return readSync(this.fd!, buf, 0, 2, 4) === 2 ? buf[0] | (buf[1] << 8) : null;
    } catch {
      return null;
    }
  }

  /** Run one BAR access, counting it; every failure leaves as a LinkError. */
  private barAccess<T>(r: { bar: number; offset: number }, bytesIn: number, bytesOut: number, f: (b: SysfsBar) => T): T {
    const t0 = nowUs();
    try {
      const v = f(this.barOf(r.bar));
      this.stats.requests++;
      this.stats.bytesIn += bytesIn;
      this.stats.bytesOut += bytesOut;
      this.stats.recordLatency(nowUs() - t0);
      return v;
    } catch (e) {
      this.stats.errors++;
      if (e instanceof LinkError) throw e;
      throw new SysfsBarError('os-error', r.bar, r.offset, `${this.uri}: BAR${r.bar} offset 0x${r.offset.toString(16)}: ${(e as Error).message}`);
    }
  }

  private read(addr: number, width: 1 | 2 | 4): number {
    const r = this.route(addr);
    if (r.space === 'cfg') return this.readCfg(r.offset, width);
    return this.barAccess(r, width, 0, (b) => b.read(r.offset, width));
  }

  private write(addr: number, width: 1 | 2 | 4, value: number): void {
    const r = this.route(addr);
    if (r.space === 'cfg') return this.writeCfg(r.offset, width, value);
    this.barAccess(r, 0, width, (b) => b.write(r.offset, width, value));
  }

  // ---- config space ----

  private readCfg(off: number, width: 1 | 2 | 4): number {
    if (off % width !== 0) throw new LinkError('link-error', `${this.uri}: config offset 0x${off.toString(16)} not aligned to ${width}`);
    const t0 = nowUs();
    const buf = new Uint8Array(width);
    const n = readSync(this.fd!, buf, 0, width, off);
    this.stats.requests++;
    this.stats.bytesIn += n;
    this.stats.recordLatency(nowUs() - t0);
    // Unprivileged readers get a short read beyond the first 64 bytes: report what silicon would not hide.
    if (n !== width) throw new LinkError('link-error', `${this.uri}: config read at 0x${off.toString(16)} returned ${n} of ${width} bytes (extended config space needs root)`);
    const dv = new DataView(buf.buffer);
    return width === 1 ? dv.getUint8(0) : width === 2 ? dv.getUint16(0, true) : dv.getUint32(0, true);
  }

  private writeCfg(off: number, width: 1 | 2 | 4, value: number): void {
    if (off % width !== 0) throw new LinkError('link-error', `${this.uri}: config offset 0x${off.toString(16)} not aligned to ${width}`);
    if (!this.writable) throw new LinkError('link-error', `${this.uri}: config space is read-only for this user (writes need root)`);
    const buf = new Uint8Array(width);
    const dv = new DataView(buf.buffer);
    if (width === 1) dv.setUint8(0, value & 0xff);
    else if (width === 2) dv.setUint16(0, value & 0xffff, true);
    else dv.setUint32(0, value >>> 0, true);
    const t0 = nowUs();
    const n = writeSync(this.fd!, buf, 0, width, off);
    this.stats.requests++;
    this.stats.bytesOut += n;
    this.stats.recordLatency(nowUs() - t0);
    if (n !== width) throw new LinkError('link-error', `${this.uri}: config write at 0x${off.toString(16)} wrote ${n} of ${width} bytes`);
  }

  // ---- Link ----

  async read32(addr: number): Promise<number> {
    return this.read(addr, 4);
  }
  async write32(addr: number, value: number): Promise<void> {
    this.write(addr, 4, value);
  }
  async readSub(addr: number, width: 1 | 2): Promise<number> {
    return this.read(addr, width);
  }
  async writeSub(addr: number, width: 1 | 2, value: number): Promise<void> {
    this.write(addr, width, value);
  }
  /** n dword accesses in address order (a BAR burst is n single 32-bit loads, never a wider copy). */
  async readBurst(addr: number, n: number): Promise<Uint32Array> {
    const out = new Uint32Array(n);
    for (let i = 0; i < n; i++) out[i] = this.read(addr + 4 * i, 4);
    return out;
  }
  async writeBurst(addr: number, words: ArrayLike<number>): Promise<void> {
    for (let i = 0; i < words.length; i++) this.write(addr + 4 * i, 4, words[i]);
  }

  /** One 64-bit load from a memory BAR (not two dwords). Config space has no 64-bit access. */
  async read64(addr: number): Promise<bigint> {
    const r = this.route(addr);
    if (r.space === 'cfg') throw new LinkError('link-error', `${this.uri}: config space has no 64-bit access (offset 0x${r.offset.toString(16)})`);
    return this.barAccess(r, 8, 0, (b) => b.read64(r.offset));
  }
  /** One 64-bit store to a memory BAR. */
  async write64(addr: number, value: bigint): Promise<void> {
    const r = this.route(addr);
    if (r.space === 'cfg') throw new LinkError('link-error', `${this.uri}: config space has no 64-bit access (offset 0x${r.offset.toString(16)})`);
    this.barAccess(r, 0, 8, (b) => b.write64(r.offset, value));
  }
}

/** First PCI function whose config space this process can read, or null (tests skip on null). */
export function findReadablePciFunction(root = SYSFS_PCI_ROOT): string | null {
  try {
    for (const bdf of readdirSync(root).sort()) {
      try {
        const fd = openSync(`${root}/${bdf}/config`, constants.O_RDONLY);
        closeSync(fd);
        return bdf;
      } catch {
        // not readable: try the next
      }
    }
  } catch {
    // no sysfs PCI tree (container, non-Linux)
  }
  return null;
}

/** PCI class code of a CXL Memory Device: base 05h (memory controller), sub 02h (CXL), prog-if 10h (Linux CXL_MEMORY_PROGIF). */
export const CXL_MEMDEV_CLASS = 0x050210;

/** CXL memory devices under `root` (their `class` file reads 0x050210), sorted. */
export function findCxlMemoryDevices(root = SYSFS_PCI_ROOT): string[] {
  const out: string[] = [];
  try {
    for (const bdf of readdirSync(root).sort()) {
      try {
        if (Number(readFileSync(`${root}/${bdf}/class`, 'utf8').trim()) === CXL_MEMDEV_CLASS) out.push(bdf);
      } catch {
        // no class file: not a PCI function
      }
    }
  } catch {
    // no sysfs PCI tree
  }
  return out;
}
