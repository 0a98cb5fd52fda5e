// What a Type 3 memory device is made of: the knobs a topology file sets for each endpoint.

import { MiB } from '../../common/units.js';

export type DeviceProfile = 'spec' | 'qemu';

export interface Type3Config {
  /** Volatile-only capacity in bytes (multiple of 256 MiB). */
  volatileBytes: number;
  /** Persistent-only capacity in bytes (multiple of 256 MiB). */
  persistentBytes: number;
  /** Capacity that may be split between volatile and persistent by Set Partition Info (multiple of 256 MiB). */
  partitionableBytes: number;
  /** Label Storage Area size in bytes (0 = none). */
  lsaBytes: number;
  /** Device Serial Number (DSN extended capability and Identify). */
  serial: bigint;
  /** Number of HDM decoders in the component registers (1, 2, 4, 6, 8, 10, 12, 14, 16, 20, 24, 28, 32). */
  hdmDecoders: number;
  /** Mailbox payload size as log2 bytes (8..20: 256 B .. 1 MiB). */
  payloadSizeLog2: number;
  /** 'spec' (default) or 'qemu' (QEMU's IDs, offsets and BAR layout, for lining traces up with QEMU). */
  profile: DeviceProfile;
}

export const CAPACITY_MULTIPLE = 256 * MiB;

export const defaultType3Config = (): Type3Config => ({
  volatileBytes: 256 * MiB,
  persistentBytes: 256 * MiB,
  partitionableBytes: 0,
  lsaBytes: 128 * 1024,
  serial: 0x0123_4567_89ab_cdefn,
  hdmDecoders: 4,
  payloadSizeLog2: 11, // 2 KiB, as QEMU
  profile: 'spec',
});
