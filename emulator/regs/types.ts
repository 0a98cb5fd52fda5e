// Registers as data (DESIGN.md section 2). One declaration serves three purposes: the register engine derives
// write masks / write-1-to-clear masks / sticky masks and reset values from it, trace decode turns an access
// into register and field names with it, and the UI's register explorer renders it. Never duplicate a layout.

import type { Width } from '../../common/access.js';

/**
 * Access types as the PCIe and CXL specifications name them.
 * RO     read-only (value set by hardware / the model)
 * RW     read-write
 * RW1C   write 1 to clear
 * RWS    read-write, sticky (survives a conventional reset)
 * RW1CS  write 1 to clear, sticky
 * ROS    read-only, sticky: set by hardware, survives a conventional (warm) reset (PCIe Base 7.4), e.g. the
 *        First Error Pointer and Header Log that go with RW1CS error status bits (CXL 2.0 8.2.5.9.7-8)
 * RWL    read-write until the register's lock is set, then read-only
 * RWO    read-write-one-to-lock: writable until a 1 is written to the field, then read-only until reset
 *        (per field; writing 0 locks nothing), e.g. CXL DVSEC CONFIG_LOCK (CXL 2.0 8.1.3.6)
 * HwInit set by hardware/firmware at init, read-only to software
 * RsvdP  reserved, preserve: reads return 0 (or the reset value), writes ignored, software preserves
 * RsvdZ  reserved, zero: reads return 0, software writes 0
 * WO     write-only (reads return 0), e.g. doorbell-like triggers that self-clear
 */
export type AccessType = 'RO' | 'RW' | 'RW1C' | 'RWS' | 'RW1CS' | 'RWL' | 'RWO' | 'HwInit' | 'RsvdP' | 'RsvdZ' | 'WO' | 'ROS';

export interface FieldDecl {
  name: string;
  /** Inclusive bit range [hi, lo] within the register. */
  bits: readonly [number, number];
  access: AccessType;
  /** Reset value of the field (already shifted down to bit 0 of the field). Default 0. */
  reset?: number | bigint;
  /** One line: what the field means, with the spec reference where useful. */
  desc: string;
  /** Named values, for decode (e.g. { 0: 'Success', 1: 'Background command started' }). */
  values?: Readonly<Record<number, string>>;
}

export interface RegisterDecl {
  name: string;
  /** Byte offset within the block. */
  offset: number;
  width: Width;
  desc?: string;
  fields: readonly FieldDecl[];
}

export interface BlockDecl {
  /** Stable identifier of the block kind, e.g. 'pci-type0-header', 'dvsec-cxl-device', 'hdm-decoder'. */
  id: string;
  /** Human name, e.g. 'HDM Decoder Capability Structure'. */
  name: string;
  /** Spec citation, e.g. 'CXL 2.0 8.2.5.12'. */
  spec?: string;
  /** Size in bytes of the block. */
  size: number;
  registers: readonly RegisterDecl[];
}
