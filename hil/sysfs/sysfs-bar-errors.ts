// Errors of BAR access through sysfs. Both are LinkErrors of kind 'link-error' (HardwareEndpoint traces them as
// such and rejects with LinkFault); messages name the link (and so the BDF), the BAR and the offset.

import { LinkError } from '../link.js';

/** BAR access needs the sysfs_mmap addon, which is not built or does not load (`why` says which). */
export class SysfsBarUnsupportedError extends LinkError {
  constructor(uri: string, bar: number, why = 'the sysfs_mmap addon is not available') {
    super('link-error', `${uri}: BAR${bar} access needs mmap of resource${bar}: ${why} (see hil/sysfs/README.md)`);
    this.name = 'SysfsBarUnsupportedError';
  }
}

/** Why a BAR access failed, as a value tests and callers can branch on. */
export type SysfsBarErrorReason =
  | 'not-a-bar' // the bus address is neither config space nor inside a BAR window
  | 'bar-absent' // `resource` shows no memory or I/O resource for this BAR
  | 'upper-half' // the BAR register is the upper half of the 64-bit BAR below it
  | 'no-resource-list' // <dir>/resource missing
  | 'no-resource-file' // <dir>/resourceN missing
  | 'disabled' // Command register has Memory (I/O) Space Enable clear
  | 'permission' // EACCES: not root
  | 'locked-down' // EPERM: kernel lockdown (or no CAP_SYS_ADMIN)
  | 'refused' // EINVAL: iomem=strict and a driver owns the BAR, or the BAR is unassigned
  | 'misaligned' // not naturally aligned to the access width
  | 'out-of-range' // offset + width beyond the BAR
  | 'read-only' // the BAR was mapped read-only
  | 'io-width' // 64-bit access to an I/O BAR (the kernel does 1, 2 or 4 bytes)
  | 'os-error'; // anything else the kernel said

export class SysfsBarError extends LinkError {
  constructor(
    readonly reason: SysfsBarErrorReason,
    readonly bar: number,
    readonly offset: number | null,
    message: string,
  ) {
    super('link-error', message);
    this.name = 'SysfsBarError';
  }
}
