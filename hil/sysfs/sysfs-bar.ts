// One BAR of a PCI function reached through its sysfs `resourceN` file (Documentation/filesystems/sysfs-pci.rst):
// memory BARs are mapped with the sysfs_mmap addon (single volatile accesses of the requested width); I/O BARs
// use positioned reads/writes of 1, 2 or 4 bytes, which the kernel turns into one port access each.
// Opening checks what `resource` says about the BAR and that the Command register decodes it, and turns the
// kernel's refusals (EACCES, EPERM, EINVAL) into SysfsBarErrors that say what to do.

import { closeSync, constants, existsSync, openSync, readSync, writeSync } from 'node:fs';
import { errnoName, loadNativeMmap, type MmapAddon, type MmapHandle, type NativeMmapLoad } from './native-mmap.js';
import { SysfsBarError, SysfsBarUnsupportedError, type SysfsBarErrorReason } from './sysfs-bar-errors.js';
import { sysfsBarInfo, SYSFS_BAR_COUNT, type SysfsResource } from './sysfs-resources.js';

export type BarWidth = 1 | 2 | 4 | 8;

/** PCIe Base 7.5.1.1.3 Command register: I/O Space Enable (bit 0), Memory Space Enable (bit 1). */
const CMD_IO = 0x1;
const CMD_MEM = 0x2;

export interface SysfsBar {
  readonly bar: number;
  readonly kind: 'mem' | 'io';
  readonly size: number;
  readonly writable: boolean;
  read(offset: number, width: 1 | 2 | 4): number;
  write(offset: number, width: 1 | 2 | 4, value: number): void;
  read64(offset: number): bigint;
  write64(offset: number, value: bigint): void;
  close(): void;
}

export interface OpenSysfsBarOptions {
  /** The function's sysfs directory (<root>/<BDF>). */
  dir: string;
  /** Link URI (names the BDF) for messages. */
  uri: string;
  bar: number;
  resources: readonly SysfsResource[];
  readOnly: boolean;
  /** Command register value, or null when config space cannot be read. */
  command: number | null;
  /** Addon loader (default loadNativeMmap). */
  native?: () => NativeMmapLoad;
}

const hex = (n: number): string => `0x${n.toString(16)}`;

/** Open BAR `bar`; throws SysfsBarError / SysfsBarUnsupportedError (never a bare Error). */
export function openSysfsBar(o: OpenSysfsBarOptions): SysfsBar {
  const { dir, uri, bar } = o;
  const fail: (reason: SysfsBarErrorReason, msg: string) => never = (reason, msg) => {
    throw new SysfsBarError(reason, bar, null, `${uri}: BAR${bar}: ${msg}`);
  };
  if (!Number.isInteger(bar) || bar < 0 || bar >= SYSFS_BAR_COUNT) fail('not-a-bar', 'a type-0 function has BARs 0..5');
  const info = sysfsBarInfo(o.resources, bar);
  if (info.kind === 'absent') {
    if (info.why === 'upper-half') fail('upper-half', `is the upper half of 64-bit BAR${info.lowerBar}; access BAR${info.lowerBar}`);
    fail('bar-absent', `no memory or I/O resource (line ${bar} of ${dir}/resource is empty): BAR not implemented or not assigned`);
  }
  const path = `${dir}/resource${bar}`;
  if (!existsSync(path)) fail('no-resource-file', `${path} is missing (the kernel exposes resourceN only for assigned BARs)`);
  const enable = info.kind === 'mem' ? CMD_MEM : CMD_IO;
  if (o.command !== null && !(o.command & enable))
    fail('disabled', `${info.kind === 'mem' ? 'Memory' : 'I/O'} Space Enable is clear in the Command register (${hex(o.command)}): enable the device with \`echo 1 > ${dir}/enable\` as root`);
  try {
    if (info.kind === 'mem') {
      const native = (o.native ?? loadNativeMmap)();
      if (!native.ok) throw new SysfsBarUnsupportedError(uri, bar, native.why);
      return new MemBar(native.addon, path, uri, bar, !o.readOnly);
    }
    return new IoBar(path, uri, bar, info.size, !o.readOnly);
  } catch (e) {
    if (e instanceof SysfsBarUnsupportedError || e instanceof SysfsBarError) throw e;
    throw openError(e, uri, bar, path);
  }
}

/** The kernel's refusals, named (drivers/pci/pci-sysfs.c pci_mmap_resource; security/lockdown). */
function openError(e: unknown, uri: string, bar: number, path: string): SysfsBarError {
  const name = errnoName(e);
  const why = e instanceof Error ? e.message : String(e);
  const at = `${uri}: BAR${bar}: cannot map ${path}`;
  switch (name) {
    case 'EACCES':
      return new SysfsBarError('permission', bar, null, `${at}: permission denied; resourceN files are root-only (mode 0600): run as root`);
    case 'EPERM':
      return new SysfsBarError('locked-down', bar, null, `${at}: operation not permitted; kernel lockdown forbids user-space PCI BAR access (LOCKDOWN_PCI_ACCESS; see /sys/kernel/security/lockdown)`);
    case 'EINVAL':
      return new SysfsBarError('refused', bar, null, `${at}: the kernel refused the mapping (EINVAL); with iomem=strict a BAR claimed by a driver is exclusive: unbind cxl_pci first (echo <BDF> > /sys/bus/pci/drivers/cxl_pci/unbind), or the BAR is unassigned`);
    case 'ENOENT':
      return new SysfsBarError('no-resource-file', bar, null, `${at}: no such file`);
    default:
      return new SysfsBarError('os-error', bar, null, `${at}: ${why}`);
  }
}

abstract class BarBase {
  constructor(
    readonly uri: string,
    readonly bar: number,
    readonly writable: boolean,
  ) {}
  abstract readonly size: number;
  protected err(reason: SysfsBarErrorReason, offset: number, msg: string): SysfsBarError {
    return new SysfsBarError(reason, this.bar, offset, `${this.uri}: BAR${this.bar} offset ${hex(offset)}: ${msg}`);
  }
  protected check(offset: number, width: BarWidth, write: boolean): void {
    if (write && !this.writable) throw this.err('read-only', offset, 'BAR is mapped read-only (link opened read-only)');
    if (!Number.isInteger(offset) || offset < 0 || offset + width > this.size)
      throw this.err('out-of-range', offset, `${width}-byte access runs past the BAR (size ${hex(this.size)})`);
    // Naturally aligned only: the CPU splits a misaligned MMIO access (PCIe registers are defined for aligned ones).
    if (offset % width !== 0) throw this.err('misaligned', offset, `${width}-byte access is not naturally aligned`);
  }
}

/** A memory BAR mapped by the addon; the addon checks bounds and alignment too (the C side never trusts JS). */
class MemBar extends BarBase implements SysfsBar {
  readonly kind = 'mem' as const;
  readonly size: number;
  private h: MmapHandle | null;
  constructor(
    private readonly addon: MmapAddon,
    path: string,
    uri: string,
    bar: number,
    writable: boolean,
  ) {
    super(uri, bar, writable);
    this.h = addon.open(path, writable);
    this.size = addon.size(this.h);
  }
  private handle(offset: number): MmapHandle {
    if (!this.h) throw this.err('os-error', offset, 'BAR is unmapped (link closed)');
    return this.h;
  }
  read(offset: number, width: 1 | 2 | 4): number {
    this.check(offset, width, false);
    const h = this.handle(offset);
    return width === 1 ? this.addon.read8(h, offset) : width === 2 ? this.addon.read16(h, offset) : this.addon.read32(h, offset);
  }
  write(offset: number, width: 1 | 2 | 4, value: number): void {
    this.check(offset, width, true);
    const h = this.handle(offset);
    const v = (value & (width === 4 ? 0xffff_ffff : (1 << (8 * width)) - 1)) >>> 0;
    if (width === 1) this.addon.write8(h, offset, v);
    else if (width === 2) this.addon.write16(h, offset, v);
    else this.addon.write32(h, offset, v);
  }
  read64(offset: number): bigint {
    this.check(offset, 8, false);
    return this.addon.read64(this.handle(offset), offset);
  }
  write64(offset: number, value: bigint): void {
    this.check(offset, 8, true);
    this.addon.write64(this.handle(offset), offset, BigInt.asUintN(64, value));
  }
  close(): void {
    if (this.h) this.addon.close(this.h);
    this.h = null;
  }
}

/** An I/O BAR: positioned read/write of exactly 1, 2 or 4 bytes (pci-sysfs.c pci_resource_io). */
class IoBar extends BarBase implements SysfsBar {
  readonly kind = 'io' as const;
  private fd: number | null;
  constructor(
    path: string,
    uri: string,
    bar: number,
    readonly size: number,
    writable: boolean,
  ) {
    super(uri, bar, writable);
    this.fd = openSync(path, writable ? constants.O_RDWR : constants.O_RDONLY);
  }
  private io(offset: number, width: 1 | 2 | 4, buf: Uint8Array, write: boolean): void {
    if (this.fd === null) throw this.err('os-error', offset, 'BAR is closed (link closed)');
    let n: number;
    try {
      n = write ? writeSync(this.fd, buf, 0, width, offset) : readSync(this.fd, buf, 0, width, offset);
    } catch (e) {
      // Kernel lockdown refuses I/O port writes with EPERM (pci-sysfs.c pci_write_resource_io).
      const locked = errnoName(e) === 'EPERM';
      throw this.err(locked ? 'locked-down' : 'os-error', offset, `${write ? 'write' : 'read'} of ${width} bytes failed: ${(e as Error).message}${locked ? ' (kernel lockdown forbids PCI I/O access)' : ''}`);
    }
    if (n !== width) throw this.err('os-error', offset, `${write ? 'wrote' : 'read'} ${n} of ${width} bytes`);
  }
  read(offset: number, width: 1 | 2 | 4): number {
    this.check(offset, width, false);
    const buf = new Uint8Array(width);
    this.io(offset, width, buf, false);
    const dv = new DataView(buf.buffer);
    return width === 1 ? dv.getUint8(0) : width === 2 ? dv.getUint16(0, true) : dv.getUint32(0, true);
  }
  write(offset: number, width: 1 | 2 | 4, value: number): void {
    this.check(offset, width, true);
    const buf = new Uint8Array(width);
    const dv = new DataView(buf.buffer);
    if (width === 1) dv.setUint8(0, value & 0xff);
    else if (width === 2) dv.setUint16(0, value & 0xffff, true);
    else dv.setUint32(0, value >>> 0, true);
    this.io(offset, width, buf, true);
  }
  read64(offset: number): bigint {
    throw this.err('io-width', offset, 'I/O BARs take 1, 2 or 4-byte accesses only');
  }
  write64(offset: number): void {
    throw this.err('io-width', offset, 'I/O BARs take 1, 2 or 4-byte accesses only');
  }
  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }
}
