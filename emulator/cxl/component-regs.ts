// CXL.cache/mem component register structures (CXL 2.0 8.2.5), located at component block +0x1000.
// Layout of the 64 KiB component block: CXL 2.0 8.2.4 Table 141 (reference sheet 2).

import { bit, block, field, reg, roReg, rsvdP } from '../regs/decl.js';
import type { BlockDecl, FieldDecl, RegisterDecl } from '../regs/types.js';

type P = Readonly<Record<string, number>>;

/** Offset of the CXL.cache/mem registers within the component block (CXL 2.0 8.2.4). */
export const CACHEMEM_OFFSET = 0x1000;

/** CXL.cache/mem capability IDs (CXL 2.0 8.2.5 Table 143). */
export const CM_CAP_ID = { capability: 1, ras: 2, security: 3, link: 4, hdm: 5, extSecurity: 6, ide: 7, snoopFilter: 8 } as const;

const CM_CAP_NAMES: Readonly<Record<number, string>> = {
  0: 'NULL',
  1: 'CXL Capability',
  2: 'CXL RAS',
  3: 'CXL Security',
  4: 'CXL Link',
  5: 'CXL HDM Decoder',
  6: 'CXL Extended Security',
  7: 'CXL IDE',
  8: 'CXL Snoop Filter',
};

/**
 * CXL_Capability_Header + the capability headers that follow (CXL 2.0 8.2.5.1-8.2.5.2). Params: count, and for
 * each entry i (1-based): id{i}, ver{i}, ptr{i} (offset from the cache/mem start).
 */
export function cmCapArrayDecl(p: P): BlockDecl {
  const count = p.count ?? 0;
  const regs: RegisterDecl[] = [
    reg('CXL_Capability_Header', 0x0, 4, [
      field('CXL_Capability_ID', [15, 0], 'RO', 'Always 1', 1),
      field('CXL_Capability_Version', [19, 16], 'RO', 'Version', 1),
      field('CXL_Cache_Mem_Version', [23, 20], 'RO', 'CXL.cache/mem version', 1),
      field('Array_Size', [31, 24], 'RO', 'Number of headers that follow', count),
    ]),
  ];
  for (let i = 1; i <= count; i++) {
    regs.push(
      reg(`Capability Header ${i}`, 4 * i, 4, [
        field('Capability_ID', [15, 0], 'RO', 'Capability ID', p[`id${i}`] ?? 0, CM_CAP_NAMES),
        field('Capability_Version', [19, 16], 'RO', 'Version', p[`ver${i}`] ?? 0),
        field('Pointer', [31, 20], 'RO', 'Offset of the structure from the cache/mem start', p[`ptr${i}`] ?? 0),
      ]),
    );
  }
  return block('cxl-cm-cap-array', 'CXL Capability Header Array', 4 * (count + 1), regs, 'CXL 2.0 8.2.5.1');
}

// RAS bit tables (CXL 2.0 8.2.5.9.1/8.2.5.9.4).
const UE_BITS: readonly (readonly [number, string])[] = [
  [0, 'Cache_Data_Parity'],
  [1, 'Cache_Address_Parity'],
  [2, 'Cache_BE_Parity'],
  [3, 'Cache_Data_ECC'],
  [4, 'Mem_Data_Parity'],
  [5, 'Mem_Address_Parity'],
  [6, 'Mem_BE_Parity'],
  [7, 'Mem_Data_ECC'],
  [8, 'REINIT_Threshold'],
  [9, 'Rsvd_Encoding_Violation'],
  [10, 'Poison_Received'],
  [11, 'Receiver_Overflow'],
  [14, 'Internal_Error'],
  [15, 'CXL_IDE_Tx_Error'],
  [16, 'CXL_IDE_Rx_Error'],
];
const CE_BITS: readonly (readonly [number, string])[] = [
  [0, 'Cache_Data_ECC'],
  [1, 'Mem_Data_ECC'],
  [2, 'CRC_Threshold'],
  [3, 'Retry_Threshold'],
  [4, 'Cache_Poison_Received'],
  [5, 'Mem_Poison_Received'],
  [6, 'Physical_Layer_Error'],
];
/** Bits defined in the Uncorrectable registers: 16:14 and 11:0. */
export const RAS_UE_MASK = 0x1cfff;
export const RAS_CE_MASK = 0x7f;

const rasBits = (rows: readonly (readonly [number, string])[], access: FieldDecl['access'], what: string, reset: number): FieldDecl[] =>
  rows.map(([b, n]) => bit(n, b, access, `${n} ${what}`, (reset >> b) & 1));

/** RAS Capability Structure, 0x58 bytes (CXL 2.0 8.2.5.9). Params: ueMask, ueSeverity, ceMask (reset values). */
export function rasCapDecl(p: P): BlockDecl {
  const log: RegisterDecl[] = [];
  // CXL 2.0 8.2.5.9.8: the Header Log is ROS, so it survives a warm reset together with the RW1CS status bits.
  for (let i = 0; i < 16; i++) log.push(roReg(`Header Log ${i}`, 0x18 + 4 * i, 4, 0, 'Header of the first uncorrectable error (512 bits)', 'ROS'));
  return block(
    'cxl-ras',
    'CXL RAS Capability Structure',
    0x58,
    [
      reg('Uncorrectable Error Status', 0x00, 4, rasBits(UE_BITS, 'RW1CS', 'detected', 0)),
      reg('Uncorrectable Error Mask', 0x04, 4, rasBits(UE_BITS, 'RWS', 'masked', p.ueMask ?? RAS_UE_MASK)),
      reg('Uncorrectable Error Severity', 0x08, 4, rasBits(UE_BITS, 'RWS', 'is fatal', p.ueSeverity ?? RAS_UE_MASK)),
      reg('Correctable Error Status', 0x0c, 4, rasBits(CE_BITS, 'RW1CS', 'detected', 0)),
      reg('Correctable Error Mask', 0x10, 4, rasBits(CE_BITS, 'RWS', 'masked', p.ceMask ?? RAS_CE_MASK)),
      reg('Error Capability and Control', 0x14, 4, [
        // CXL 2.0 8.2.5.9.7: ROS, so after a warm reset it still names a status bit that survived (RW1CS).
        field('First_Error_Pointer', [5, 0], 'ROS', 'Bit index of the first uncorrectable error (sticky)'),
        rsvdP(8, 6),
        bit('Multiple_Header_Recording_Capability', 9, 'RO', 'Records a header per error', 1),
        rsvdP(31, 10),
      ]),
      ...log,
    ],
    'CXL 2.0 8.2.5.9',
  );
}

/**
 * CXL Link Capability Structure, 0x38 bytes (CXL 2.0 8.2.5.10). Only the versions are modelled; the link-layer
 * credit and timer registers read 0 (as QEMU, whose Link structure is all zero).
 */
export function linkCapDecl(p: P): BlockDecl {
  const zero = (name: string, off: number): RegisterDecl => roReg(name, off, 4, 0, 'Not modelled: reads 0');
  return block(
    'cxl-link',
    'CXL Link Capability Structure',
    0x38,
    [
      reg('CXL Link Layer Capability Low', 0x00, 4, [
        field('CXL Link Version Supported', [3, 0], 'RO', '2 = CXL 2.0', p.version ?? 2),
        field('CXL Link Version Received', [7, 4], 'RO', 'Version the partner sent', p.version ?? 2),
        field('LLR Wrap Value Supported', [15, 8], 'RO', 'Retry buffer depth'),
        rsvdP(31, 16),
      ]),
      zero('CXL Link Layer Capability High', 0x04),
      zero('CXL Link Layer Control and Status Low', 0x08),
      zero('CXL Link Layer Control and Status High', 0x0c),
      zero('CXL Link Layer Rx Credit Control Low', 0x10),
      zero('CXL Link Layer Rx Credit Control High', 0x14),
      zero('CXL Link Layer Rx Credit Return Status Low', 0x18),
      zero('CXL Link Layer Rx Credit Return Status High', 0x1c),
      zero('CXL Link Layer Tx Credit Status Low', 0x20),
      zero('CXL Link Layer Tx Credit Status High', 0x24),
      zero('CXL Link Layer Ack Timer Control Low', 0x28),
      zero('CXL Link Layer Ack Timer Control High', 0x2c),
      zero('CXL Link Layer Defeature Low', 0x30),
      zero('CXL Link Layer Defeature High', 0x34),
    ],
    'CXL 2.0 8.2.5.10',
  );
}
