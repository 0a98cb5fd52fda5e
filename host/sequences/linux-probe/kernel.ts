// What the modelled kernel (Linux v6.8-v6.12 drivers/cxl, see README.md) knows: module parameters, errno
// names, the commands cxl_walk_cel enables, and the dev_err/dev_warn texts the probe prints.

import type { MemdevStatus } from '../../core/memdev.js';
import { DEFAULT_KERNEL, type KernelId } from '../../kernels/types.js';

export interface LinuxProbeOptions {
  /** Kernel profile whose rules the probe applies (host/kernels): '6.1', '6.12' (default), 'mainline'. */
  kernel: KernelId;
  /** cxl_pci module parameter mbox_ready_timeout (seconds). */
  mboxReadyTimeoutS: number;
  /** cxl_core module parameter media_ready_timeout (seconds). */
  mediaReadyTimeoutS: number;
  /** host_bridge->native_cxl_error: the OS owns CXL error reporting (_OSC granted), so events are set up. */
  nativeCxlError: boolean;
  /** pcie_aer_is_native: the OS owns AER (_OSC), so the PCI core enables error reporting and cxl_pci unmasks RAS. */
  nativeAer: boolean;
  /** Also replay a write to the memdev's trigger_poison_list attribute (Get Poison List over the whole DPA). */
  triggerPoisonList: boolean;
  /** Upper bound of LSA bytes to read (nvdimm reads the whole label area). */
  lsaReadLimit: number;
}

export const DEFAULT_PROBE_OPTIONS: LinuxProbeOptions = {
  kernel: DEFAULT_KERNEL,
  mboxReadyTimeoutS: 60,
  mediaReadyTimeoutS: 60,
  nativeCxlError: true,
  nativeAer: true,
  triggerPoisonList: false,
  lsaReadLimit: 128 * 1024,
};

export const ERRNO: Readonly<Record<number, string>> = { 5: 'EIO', 6: 'ENXIO', 16: 'EBUSY', 19: 'ENODEV', 2: 'ENOENT', 110: 'ETIMEDOUT', 22: 'EINVAL', 95: 'EOPNOTSUPP' };
export const errnoText = (e: number): string => `${e} (-${ERRNO[-e] ?? '?'})`;

/** Opcodes cxl_mem_commands[] knows, plus the poison and security sets cxl_walk_cel also enables. */
export const KERNEL_KNOWN_OPCODES: ReadonlySet<number> = new Set([
  0x4000, 0x0400, 0x0200, 0x4100, 0x4102, 0x4200, 0x0401, 0x4101, 0x4103, 0x4201, 0x4202, 0x4203, 0x4204, 0x0300, 0x0301,
  0x0100, 0x0101, 0x0102, 0x0103, 0x0201, 0x0202,
  // poison (cxl_is_poison_command: 43xxh)
  0x4300, 0x4301, 0x4302, 0x4303, 0x4304, 0x4305,
  // security (cxl_is_security_command: 44xxh, 45xxh, 46xxh)
  0x4400, 0x4401, 0x4500, 0x4501, 0x4502, 0x4503, 0x4504, 0x4505, 0x4600, 0x4601,
]);
/** CXL_CMD_FLAG_FORCE_ENABLE: enabled even when a bogus CEL leaves them out. */
export const FORCE_ENABLED: readonly number[] = [0x4000, 0x0400, 0x0401];

/** cxl_err(): the message plus ", device state" and the fatal / firmware-halt flags of Memory Device Status. */
export const cxlErr = (msg: string, s: MemdevStatus): string => `${msg}, device state${s.fatal ? ' fatal' : ''}${s.fwHalt ? ' firmware-halt' : ''}`;

/** The driver core's line when a probe returns an error (really_probe). */
export const probeFailed = (driver: string, node: string, errno: number): string => `${driver} ${node}: probe with driver ${driver} failed with error ${errno}`;
