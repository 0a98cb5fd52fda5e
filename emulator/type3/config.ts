// What a Type 3 memory device is made of: the knobs a topology file sets for each endpoint.

import { MiB } from '../../common/units.js';

export type DeviceProfile = 'spec' | 'spec-2.0' | 'qemu' | 'qemu-7.2';
export const DEVICE_PROFILES: readonly DeviceProfile[] = ['spec', 'spec-2.0', 'qemu', 'qemu-7.2'];

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
  /**
   * Function numbers (1..255) of the device's other functions that are not CXL functions. When given, the
   * Non-CXL Function Map DVSEC (DVSEC ID 2, CXL 2.0 8.1.4) is built with bit n set for each; absent by default.
   */
  nonCxlFunctions?: readonly number[];
  /**
   * The device is (the FM-owned LD of) a Multi-Logical Device with this many LDs (1..16): the MLD DVSEC (DVSEC
   * ID 9, CXL 2.0 8.1.10) is built and DVSEC 0 / Flex Bus report MLD capability. Absent by default (an SLD).
   */
  mld?: { logicalDevices: number };
}

/** Limits of the optional DVSEC knobs (CXL 2.0 8.1.4: 8 x 32-bit map registers; 8.1.10: at most 16 LDs). */
export const NON_CXL_FUNCTION_MAX = 255;
export const MLD_MAX_LOGICAL_DEVICES = 16;

/** Non-CXL Function Map registers 0..7 (CXL 2.0 8.1.4): bit n of the 256-bit map = function n. */
export function nonCxlFunctionMapWords(functions: readonly number[]): number[] {
  const words = new Array<number>(8).fill(0);
  for (const f of functions) if (Number.isInteger(f) && f >= 0 && f <= NON_CXL_FUNCTION_MAX) words[f >>> 5] = (words[f >>> 5]! | (1 << (f & 31))) >>> 0;
  return words;
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
