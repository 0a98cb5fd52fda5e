// SysfsPciLink: a PCIe function in this machine through Linux sysfs (Documentation/filesystems/sysfs-pci.rst).
// Config space is the `config` file: positioned reads/writes of exactly 1, 2 or 4 bytes (the kernel turns each
// into one config access of that width; little-endian, as PCI). Unprivileged readers see only the first 64
// bytes; the extended space (to 4 KiB) and all writes need root.
//
// Bus layout this link offers (so a DeviceMap can point at it like at any bridge): config space at
// 0x0000_0000 (4 KiB), BAR n at SYSFS_BAR_BASE(n) = (n + 1) << 28. Memory BARs (`resourceN`) support only mmap,
// which Node lacks: accesses there fail with SysfsBarUnsupportedError (see hil/sysfs/README.md).

import { closeSync, existsSync, openSync, readdirSync, readSync, writeSync, constants } from 'node:fs';
import { DEFAULT_TIMEOUT_MS, LinkError, LinkEvents, type Link, type LinkEvent, type LinkListener } from '../link.js';
import { LinkStats, nowUs } from '../link-stats.js';

export const SYSFS_PCI_ROOT = '/sys/bus/pci/devices';
export const SYSFS_CFG_SIZE = 0x1000;
export const SYSFS_BAR_BASE = (bar: number): number => ((bar + 1) << 28) >>> 0;

/** BAR access through sysfs needs mmap, which this build does not have yet. */
export class SysfsBarUnsupportedError extends LinkError {
  constructor(uri: string, bar: number) {
    super('link-error', `${uri}: BAR${bar} access needs mmap of resource${bar}; not available in this build (see hil/sysfs/README.md)`);
    this.name = 'SysfsBarUnsupportedError';
  }
}

export interface SysfsPciLinkOptions {
  bdf: string;
  uri?: string;
  timeoutMs?: number;
  /** Root of the PCI device directories (tests may point it at a fixture tree). */
  root?: string;
  /** Open config space read-only even when writes would be allowed (writes then fail with link-error). */
  readOnly?: boolean;
}

export class SysfsPciLink implements Link {
  readonly transport = 'sysfs' as const;
  readonly uri: string;
  readonly stats = new LinkStats();
  readonly maxBurstWords = 1024;
  timeoutMs: number;
  private fd: number | null = null;
  private writable = false;
  private readonly events = new LinkEvents();
  readonly configPath: string;
  private readonly readOnly: boolean;

  constructor(o: SysfsPciLinkOptions) {
    this.readOnly = o.readOnly ?? false;
    this.uri = o.uri ?? `sysfs:${o.bdf}`;
    this.timeoutMs = o.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.configPath = `${o.root ?? SYSFS_PCI_ROOT}/${o.bdf}/config`;
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

  async close(): Promise<void> {
    if (this.fd === null) return;
    closeSync(this.fd);
    this.fd = null;
  }

  async reconnect(): Promise<void> {
    await this.close();
    await this.open();
  }

  private cfgOffset(addr: number, width: number): number {
    if (this.fd === null) throw new LinkError('link-error', `${this.uri}: link is not open`);
    if (addr >= SYSFS_CFG_SIZE) throw new SysfsBarUnsupportedError(this.uri, Math.max(0, (addr >>> 28) - 1));
    if (addr % width !== 0) throw new LinkError('link-error', `${this.uri}: config offset 0x${addr.toString(16)} not aligned to ${width}`);
    return addr;
  }

  private readCfg(addr: number, width: 1 | 2 | 4): number {
    const off = this.cfgOffset(addr, width);
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

  private writeCfg(addr: number, width: 1 | 2 | 4, value: number): void {
    const off = this.cfgOffset(addr, width);
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

  async read32(addr: number): Promise<number> {
    return this.readCfg(addr, 4);
  }
  async write32(addr: number, value: number): Promise<void> {
    this.writeCfg(addr, 4, value);
  }
  async readSub(addr: number, width: 1 | 2): Promise<number> {
    return this.readCfg(addr, width);
  }
  async writeSub(addr: number, width: 1 | 2, value: number): Promise<void> {
    this.writeCfg(addr, width, value);
  }
  async readBurst(addr: number, n: number): Promise<Uint32Array> {
    const out = new Uint32Array(n);
    for (let i = 0; i < n; i++) out[i] = this.readCfg(addr + 4 * i, 4);
    return out;
  }
  async writeBurst(addr: number, words: ArrayLike<number>): Promise<void> {
    for (let i = 0; i < words.length; i++) this.writeCfg(addr + 4 * i, 4, words[i]);
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
