// The type-0 configuration header of an endpoint function (PCIe Base 7.5.1.1 common part, 7.5.1.2 type 0).
// BAR sizing falls out of the write mask: the address bits below the BAR size are read-only zero, so writing
// all-ones and reading back yields ~(size - 1) | type bits, as firmware expects (PCIe Base 7.5.1.2.1).

import { bit, block, field, reg, roReg, rsvdP } from '../regs/decl.js';
import type { FieldDecl, RegisterDecl } from '../regs/types.js';
import type { BlockDecl } from '../regs/types.js';

/** BAR kind: 0 = not implemented, 1 = 32-bit memory, 2 = 64-bit memory (uses the next BAR as the high half). */
export type BarKind = 0 | 1 | 2;

export type Type0Params = {
  vendorId: number;
  deviceId: number;
  revision: number;
  /** Base class << 16 | sub-class << 8 | programming interface. */
  classCode: number;
  subVendorId: number;
  subId: number;
  capPtr: number;
  interruptPin: number;
  /** Per BAR n (0..5): barNKind (BarKind), barNLog2 (size as log2 bytes), barNPref (1 = prefetchable). */
  [bar: `bar${number}${'Kind' | 'Log2' | 'Pref'}`]: number;
};

/**
 * Base Address Registers 0..count-1 (PCIe Base 7.5.1.2.1) from barNKind / barNLog2 / barNPref params; shared by
 * the type-0 header (6 BARs) and the type-1 bridge header (2 BARs).
 */
export const barRegisters = (p: Readonly<Record<string, number>>, count = 6): RegisterDecl[] => {
  const out: RegisterDecl[] = [];
  for (let n = 0; n < count; n++) {
    const off = 0x10 + 4 * n;
    const prev = n > 0 ? (p[`bar${n - 1}Kind`] ?? 0) : 0;
    if (prev === 2 && (n & 1) === 1) {
      const log2 = p[`bar${n - 1}Log2`] ?? 0;
      const fields: FieldDecl[] =
        log2 > 32
          ? [field('Base Address Hi', [31, log2 - 32], 'RW', `BAR${n - 1} address [63:${log2}]`), field('Size', [log2 - 33, 0], 'RO', 'Below the BAR size')]
          : [field('Base Address Hi', [31, 0], 'RW', `BAR${n - 1} address [63:32]`)];
      out.push(reg(`BAR${n}`, off, 4, fields, `Upper half of 64-bit BAR${n - 1}`));
      continue;
    }
    const kind = p[`bar${n}Kind`] ?? 0;
    if (kind === 0) {
      out.push(roReg(`BAR${n}`, off, 4, 0, 'Not implemented'));
      continue;
    }
    const log2 = Math.max(4, Math.min(p[`bar${n}Log2`] ?? 12, 32));
    const fields: FieldDecl[] = [
      bit('Memory Space Indicator', 0, 'RO', '0 = memory BAR'),
      field('Type', [2, 1], 'RO', 'Memory type', kind === 2 ? 2 : 0, { 0: '32-bit', 2: '64-bit' }),
      bit('Prefetchable', 3, 'RO', 'Prefetchable memory', p[`bar${n}Pref`] ?? 0),
    ];
    if (log2 > 4) fields.push(field('Size', [log2 - 1, 4], 'RO', `Reads 0: BAR size is 2^${log2} bytes`));
    if (log2 < 32) fields.push(field('Base Address', [31, log2], 'RW', 'Base address'));
    out.push(reg(`BAR${n}`, off, 4, fields, `Base Address Register ${n}`));
  }
  return out;
};

/** Declaration of a type-0 header. Params as Type0Params (numbers only, so a PlacedBlock can carry them). */
export function type0HeaderDecl(p: Readonly<Record<string, number>>): BlockDecl {
  return block(
    'pci-type0-header',
    'PCI Type 0 Configuration Header',
    0x40,
    [
      roReg('Vendor ID', 0x00, 2, p.vendorId ?? 0xffff, 'Vendor ID'),
      roReg('Device ID', 0x02, 2, p.deviceId ?? 0xffff, 'Device ID'),
      commandRegister('function', p.ioEnableWritable === 1),
      reg('Status', 0x06, 2, [
        rsvdP(2, 0),
        bit('Interrupt Status', 3, 'RO', 'INTx pending'),
        bit('Capabilities List', 4, 'RO', 'A capability list is present', 1),
        field('Legacy', [7, 5], 'RO', '66 MHz / fast back-to-back: hardwired 0'),
        bit('Master Data Parity Error', 8, 'RW1C', 'Poisoned completion received or request poisoned'),
        field('DEVSEL Timing', [10, 9], 'RO', 'Hardwired 0'),
        bit('Signaled Target Abort', 11, 'RW1C', 'Completed a request with Completer Abort'),
        bit('Received Target Abort', 12, 'RW1C', 'Received a Completer Abort'),
        bit('Received Master Abort', 13, 'RW1C', 'Received an Unsupported Request'),
        bit('Signaled System Error', 14, 'RW1C', 'Sent ERR_FATAL/ERR_NONFATAL'),
        bit('Detected Parity Error', 15, 'RW1C', 'Received a poisoned TLP'),
      ]),
      roReg('Revision ID', 0x08, 1, p.revision ?? 0, 'Revision ID'),
      reg('Class Code', 0x09, 1, [field('Programming Interface', [7, 0], 'RO', 'Programming interface', (p.classCode ?? 0) & 0xff)]),
      roReg('Sub-Class Code', 0x0a, 1, ((p.classCode ?? 0) >> 8) & 0xff, 'Sub-class'),
      roReg('Base Class Code', 0x0b, 1, ((p.classCode ?? 0) >> 16) & 0xff, 'Base class'),
      reg('Cache Line Size', 0x0c, 1, [field('Cache Line Size', [7, 0], 'RW', 'No effect on PCIe (PCIe Base 7.5.1.1.7)')]),
      roReg('Latency Timer', 0x0d, 1, 0, 'Hardwired 0 on PCIe'),
      roReg('Header Type', 0x0e, 1, 0, 'Type 0, single function'),
      roReg('BIST', 0x0f, 1, 0, 'No BIST'),
      ...barRegisters(p),
      roReg('Cardbus CIS Pointer', 0x28, 4, 0, 'Not used'),
      roReg('Subsystem Vendor ID', 0x2c, 2, p.subVendorId ?? 0, 'Subsystem vendor ID'),
      roReg('Subsystem ID', 0x2e, 2, p.subId ?? 0, 'Subsystem ID'),
      roReg('Expansion ROM Base Address', 0x30, 4, 0, 'No expansion ROM'),
      roReg('Capabilities Pointer', 0x34, 1, p.capPtr ?? 0, 'Offset of the first capability'),
      rwRegLine('Interrupt Line', 0x3c),
      roReg('Interrupt Pin', 0x3d, 1, p.interruptPin ?? 0, '0 = no INTx'),
      roReg('Min_Gnt', 0x3e, 1, 0, 'Hardwired 0'),
      roReg('Max_Lat', 0x3f, 1, 0, 'Hardwired 0'),
    ],
    'PCIe Base 7.5.1',
  );
}

/**
 * The Command register (PCIe Base 7.5.1.1.3), common to type-0 functions and type-1 bridges; neither model has an
 * I/O space, so IO Space Enable is hardwired 0.
 */
export function commandRegister(kind: 'function' | 'bridge', ioWritable = false): RegisterDecl {
  const bridge = kind === 'bridge';
  return reg('Command', 0x04, 2, [
    // QEMU's PCI core gives every function a writable IO Space Enable (pci_init_wmask), I/O BAR or not.
    ioWritable
      ? bit('IO Space Enable', 0, 'RW', 'No I/O BARs, but writable as in QEMU')
      : bit('IO Space Enable', 0, 'RO', bridge ? 'No I/O window: hardwired 0' : 'No I/O BARs: hardwired 0'),
    bit('Memory Space Enable', 1, 'RW', bridge ? 'Forward memory transactions / decode BAR0' : 'Decode memory BARs'),
    bit('Bus Master Enable', 2, 'RW', bridge ? 'Forward upstream requests' : 'Allow the function to issue requests'),
    field('Legacy', [5, 3], 'RO', 'Special cycles / MWI / VGA snoop: hardwired 0 (PCIe)'),
    bit('Parity Error Response', 6, 'RW', 'Report parity errors'),
    bit('IDSEL Stepping', 7, 'RO', 'Hardwired 0'),
    bit('SERR# Enable', 8, 'RW', 'Report non-fatal and fatal errors'),
    bit('Fast Back-to-Back Enable', 9, 'RO', 'Hardwired 0'),
    bit('Interrupt Disable', 10, 'RW', 'Disable INTx'),
    rsvdP(15, 11),
  ]);
}

const rwRegLine = (name: string, off: number): RegisterDecl =>
  reg(name, off, 1, [field(name, [7, 0], 'RW', 'Scratch for the interrupt routing software chose')]);
