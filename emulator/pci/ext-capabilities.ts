// PCIe extended capabilities (config space 0x100-0xFFF): AER, Device Serial Number, DOE. The extended header
// (ID, version, next) is shared with the DVSEC builders in emulator/cxl/dvsec.ts.

import { bit, block, field, reg, roReg, rsvdP } from '../regs/decl.js';
import type { BlockDecl, FieldDecl, RegisterDecl } from '../regs/types.js';
import { EXT_CAP_ID } from './ids.js';

type P = Readonly<Record<string, number>>;

/** PCIe Base 7.6.3: Extended Capability Header. */
export const extCapHeader = (id: number, version: number, next: number): RegisterDecl =>
  reg('Extended Capability Header', 0x0, 4, [
    field('Capability ID', [15, 0], 'RO', 'Extended capability ID', id),
    field('Capability Version', [19, 16], 'RO', 'Version', version),
    field('Next Capability Offset', [31, 20], 'RO', 'Offset of the next extended capability (0 = last)', next),
  ]);

// AER bit tables (PCIe Base 7.8.4.2-7.8.4.6): [bit, name, mask reset, severity reset].
const UE_BITS: readonly (readonly [number, string, number, number])[] = [
  [4, 'Data Link Protocol Error', 0, 1],
  [12, 'Poisoned TLP Received', 0, 0],
  [13, 'Flow Control Protocol Error', 0, 1],
  [14, 'Completion Timeout', 0, 0],
  [15, 'Completer Abort', 0, 0],
  [16, 'Unexpected Completion', 0, 0],
  [17, 'Receiver Overflow', 0, 1],
  [18, 'Malformed TLP', 0, 1],
  [19, 'ECRC Error', 0, 0],
  [20, 'Unsupported Request Error', 0, 0],
  [22, 'Uncorrectable Internal Error', 1, 1],
];
const CE_BITS: readonly (readonly [number, string, number])[] = [
  [0, 'Receiver Error', 0],
  [6, 'Bad TLP', 0],
  [7, 'Bad DLLP', 0],
  [8, 'REPLAY_NUM Rollover', 0],
  [12, 'Replay Timer Timeout', 0],
  [13, 'Advisory Non-Fatal Error', 1],
  [14, 'Corrected Internal Error', 1],
  [15, 'Header Log Overflow', 1],
];

const bitsOf = (rows: readonly (readonly [number, string, ...number[]])[], access: FieldDecl['access'], what: string, resetCol?: number): FieldDecl[] =>
  rows.map((r) => bit(r[1], r[0], access, `${r[1]} ${what}`, resetCol === undefined ? 0 : (r[resetCol] as number)));

/** Advanced Error Reporting, 0x48 bytes (PCIe Base 7.8.4). Params: next. */
export function aerCapDecl(p: P): BlockDecl {
  // PCIe Base 7.8.4.8: the Header Log is ROS (kept across a conventional reset, like the RW1CS status bits).
  const log: RegisterDecl[] = [0, 1, 2, 3].map((i) => roReg(`Header Log ${i}`, 0x1c + 4 * i, 4, 0, 'TLP header of the first error', 'ROS'));
  return block(
    'pci-aer',
    'Advanced Error Reporting Capability',
    0x48,
    [
      extCapHeader(EXT_CAP_ID.aer, 2, p.next ?? 0),
      reg('Uncorrectable Error Status', 0x04, 4, bitsOf(UE_BITS, 'RW1CS', 'detected')),
      reg('Uncorrectable Error Mask', 0x08, 4, bitsOf(UE_BITS, 'RWS', 'masked', 2)),
      reg('Uncorrectable Error Severity', 0x0c, 4, bitsOf(UE_BITS, 'RWS', 'is fatal', 3)),
      reg('Correctable Error Status', 0x10, 4, bitsOf(CE_BITS, 'RW1CS', 'detected')),
      reg('Correctable Error Mask', 0x14, 4, bitsOf(CE_BITS, 'RWS', 'masked', 2)),
      reg('Advanced Error Capabilities and Control', 0x18, 4, [
        field('First Error Pointer', [4, 0], 'ROS', 'Bit of the first uncorrectable error recorded (PCIe Base 7.8.4.7: ROS)'),
        bit('ECRC Generation Capable', 5, 'RO', 'No'),
        bit('ECRC Generation Enable', 6, 'RO', 'Not capable'),
        bit('ECRC Check Capable', 7, 'RO', 'No'),
        bit('ECRC Check Enable', 8, 'RO', 'Not capable'),
        bit('Multiple Header Recording Capable', 9, 'RO', 'No'),
        bit('Multiple Header Recording Enable', 10, 'RO', 'Not capable'),
        bit('TLP Prefix Log Present', 11, 'RO', 'No'),
        bit('Completion Timeout Prefix/Header Log Capable', 12, 'RO', 'No'),
        rsvdP(31, 13),
      ]),
      ...log,
    ],
    'PCIe Base 7.8.4',
  );
}

/** Device Serial Number, 0x0C bytes (PCIe Base 7.9.3). Params: next, serialLo, serialHi. */
export function dsnCapDecl(p: P): BlockDecl {
  return block(
    'pci-dsn',
    'Device Serial Number Capability',
    0xc,
    [
      extCapHeader(EXT_CAP_ID.dsn, 1, p.next ?? 0),
      roReg('Serial Number Low', 0x4, 4, (p.serialLo ?? 0) >>> 0, 'Serial number [31:0]'),
      roReg('Serial Number High', 0x8, 4, (p.serialHi ?? 0) >>> 0, 'Serial number [63:32]'),
    ],
    'PCIe Base 7.9.3',
  );
}

/** Data Object Exchange, 0x18 bytes (PCIe Base 6.0 7.9.24). Params: next, irq (1 = interrupt support), msgNum. */
export function doeCapDecl(p: P): BlockDecl {
  return block(
    'pci-doe',
    'Data Object Exchange Capability',
    0x18,
    [
      extCapHeader(EXT_CAP_ID.doe, 1, p.next ?? 0),
      reg('DOE Capabilities', 0x4, 4, [
        bit('DOE Interrupt Support', 0, 'RO', 'MSI/MSI-X on response ready', p.irq ?? 0),
        field('DOE Interrupt Message Number', [11, 1], 'RO', 'Vector', p.msgNum ?? 0),
        rsvdP(31, 12),
      ]),
      reg('DOE Control', 0x8, 4, [
        bit('DOE Abort', 0, 'WO', 'Abort the exchange in progress'),
        bit('DOE Interrupt Enable', 1, (p.irq ?? 0) ? 'RW' : 'RO', 'Interrupt on response ready'),
        rsvdP(30, 2),
        bit('DOE Go', 31, 'WO', 'The request in the write mailbox is complete: process it'),
      ]),
      reg('DOE Status', 0xc, 4, [
        bit('DOE Busy', 0, 'RO', 'Cannot accept a request'),
        bit('DOE Interrupt Status', 1, 'RW1C', 'Interrupt pending'),
        bit('DOE Error', 2, 'RO', 'Request could not be processed; cleared by Abort'),
        rsvdP(30, 3),
        bit('Data Object Ready', 31, 'RO', 'A response is available in the read mailbox'),
      ]),
      reg('DOE Write Data Mailbox', 0x10, 4, [field('Data', [31, 0], 'WO', 'Next dword of the request')]),
      reg('DOE Read Data Mailbox', 0x14, 4, [field('Data', [31, 0], 'RO', 'Current dword of the response; write any value to advance')]),
    ],
    'PCIe Base 6.0 7.9.24',
  );
}
