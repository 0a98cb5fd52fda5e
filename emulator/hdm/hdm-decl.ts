// The HDM Decoder Capability Structure as data (CXL 2.0 8.2.5.12; reference sheet 2.3). Length 0x10 + 0x20 n.
// Ports (host bridge CHBCR, switch USP) carry a Target List in the last two dwords of each decoder; endpoints
// carry DPA Skip there. Decoder registers are RWL: `RegisterBlock.lock` makes them read-only after a commit
// with Lock On Commit (8.2.5.12.7).

import { bit, block, field, reg, rsvdP } from '../regs/decl.js';
import type { BlockDecl, RegisterDecl } from '../regs/types.js';
import { encodeDecoderCount } from './decoder-count.js';

/** Block kind id (the one emulator/type3 instantiates through the registry). */
export const HDM_BLOCK_ID = 'cxl-hdm-decoder';
export const HDM_CAP = 0x00;
export const HDM_GLOBAL_CONTROL = 0x04;
export const HDM_DECODER_BASE = 0x10;
export const HDM_DECODER_STRIDE = 0x20;

/** Offsets within one decoder's 0x20-byte register set. */
export const DEC = { baseLo: 0x00, baseHi: 0x04, sizeLo: 0x08, sizeHi: 0x0c, control: 0x10, listLo: 0x14, listHi: 0x18 } as const;

/** Decoder n Control bits (8.2.5.12.7). */
export const CTRL = {
  igShift: 0,
  igMask: 0xf,
  iwShift: 4,
  iwMask: 0xf0,
  lockOnCommit: 1 << 8,
  commit: 1 << 9,
  committed: 1 << 10,
  errorNotCommitted: 1 << 11,
  targetTypeHostOnly: 1 << 12,
} as const;

/** HDM Decoder Capability bits (8.2.5.12.1). */
export const CAP = {
  a11to8: 1 << 8,
  a14to12: 1 << 9,
  poisonOnDecodeError: 1 << 10,
  ways3612: 1 << 11,
  ways16: 1 << 12,
} as const;

export const hdmBlockSize = (decoders: number): number => HDM_DECODER_BASE + HDM_DECODER_STRIDE * decoders;
export const decoderOffset = (n: number): number => HDM_DECODER_BASE + HDM_DECODER_STRIDE * n;

export interface HdmDeclParams {
  decoders: number;
  /** 1 = endpoint flavour (DPA Skip), 0 = port flavour (Target List). */
  endpoint: number;
  targetCount?: number;
  /** Capability bits [12:8] as CAP flags (reset value of the capability register). */
  capBits?: number;
}

const ENDPOINT_ONLY = 'only meaningful on endpoints';

/** The declaration, shaped by decoder count and flavour. Registered as block kind 'hdm-decoder'. */
export const hdmDecoderDecl = (p: HdmDeclParams): BlockDecl => {
  const n = p.decoders;
  const ep = p.endpoint === 1;
  const capBits = p.capBits ?? CAP.a11to8 | CAP.a14to12 | CAP.ways3612 | CAP.ways16;
  const regs: RegisterDecl[] = [
    reg('HDM Decoder Capability', HDM_CAP, 4, [
      field('Decoder Count', [3, 0], 'HwInit', 'Encoded number of decoders (0: 1, n: 2n up to 8h, then 20/24/28/32)', encodeDecoderCount(n) ?? 0),
      field('Target Count', [7, 4], 'HwInit', 'Targets per decoder (ports only)', ep ? (p.targetCount ?? 0) : (p.targetCount ?? 8)), // QEMU 7.2 endpoints report 1
      bit('A11to8 Interleave Capable', 8, 'HwInit', 'Granularity 256 B..2 KiB (HPA bits 11:8)', (capBits >> 8) & 1),
      bit('A14to12 Interleave Capable', 9, 'HwInit', 'Granularity 4..16 KiB (HPA bits 14:12)', (capBits >> 9) & 1),
      bit('Poison On Decode Error Capability', 10, 'HwInit', 'Can return poison on a decode error', (capBits >> 10) & 1),
      bit('3, 6, 12 Way Interleave Capable', 11, 'HwInit', 'Modulo-3 interleave supported', (capBits >> 11) & 1),
      bit('16 Way Interleave Capable', 12, 'HwInit', '16-way interleave supported', (capBits >> 12) & 1),
      rsvdP(31, 13),
    ]),
    reg('HDM Decoder Global Control', HDM_GLOBAL_CONTROL, 4, [
      bit('Poison On Decode Error Enable', 0, (capBits & CAP.poisonOnDecodeError) !== 0 ? 'RW' : 'RsvdP', 'Return poison on a decode error'),
      // 8.2.5.12.2: HDM Decoder Enable applies to CXL.mem devices and reads 0 on root and upstream ports.
      bit('HDM Decoder Enable', 1, ep ? 'RW' : 'RsvdP', ep ? 'Use the HDM decoders (not the DVSEC ranges) to decode CXL.mem' : ENDPOINT_ONLY),
      rsvdP(31, 2),
    ]),
  ];
  for (let i = 0; i < n; i++) {
    const o = decoderOffset(i);
    const d = `Decoder ${i}`;
    regs.push(
      reg(`${d} Base Low`, o + DEC.baseLo, 4, [rsvdP(27, 0), field('Memory Base Low', [31, 28], 'RWL', 'HPA base[31:28]')]),
      reg(`${d} Base High`, o + DEC.baseHi, 4, [field('Memory Base High', [31, 0], 'RWL', 'HPA base[63:32]')]),
      reg(`${d} Size Low`, o + DEC.sizeLo, 4, [rsvdP(27, 0), field('Memory Size Low', [31, 28], 'RWL', 'Size[31:28]')]),
      reg(`${d} Size High`, o + DEC.sizeHi, 4, [field('Memory Size High', [31, 0], 'RWL', 'Size[63:32]')]),
      reg(`${d} Control`, o + DEC.control, 4, [
        field('IG', [3, 0], 'RWL', 'Interleave granularity: 256 B << IG', 0, {
          0: '256 B', 1: '512 B', 2: '1 KiB', 3: '2 KiB', 4: '4 KiB', 5: '8 KiB', 6: '16 KiB',
        }),
        field('IW', [7, 4], 'RWL', 'Interleave ways', 0, { 0: '1', 1: '2', 2: '4', 3: '8', 4: '16', 8: '3', 9: '6', 10: '12' }),
        bit('Lock On Commit', 8, 'RWL', 'Make this decoder read-only once committed, until reset'),
        bit('Commit', 9, 'RWL', 'Software sets to commit, clears to decommit'),
        bit('Committed', 10, 'RO', 'The decoder is active'),
        bit('Error Not Committed', 11, 'RO', 'The programming failed the commit checks'),
        bit('Target Range Type', 12, 'RWL', '0 device-coherent (HDM-D), 1 host-only coherent (HDM-H)'),
        rsvdP(31, 13),
      ]),
      ep
        ? reg(`${d} DPA Skip Low`, o + DEC.listLo, 4, [rsvdP(27, 0), field('DPA Skip Low', [31, 28], 'RWL', 'DPA skipped before this decoder, [31:28]')])
        : reg(`${d} Target List Low`, o + DEC.listLo, 4, [0, 1, 2, 3].map((w) => field(`Target Port ${w}`, [8 * w + 7, 8 * w], 'RWL', `Port number of interleave way ${w}`))),
      ep
        ? reg(`${d} DPA Skip High`, o + DEC.listHi, 4, [field('DPA Skip High', [31, 0], 'RWL', 'DPA skip [63:32]')])
        : reg(`${d} Target List High`, o + DEC.listHi, 4, [4, 5, 6, 7].map((w) => field(`Target Port ${w}`, [8 * (w - 4) + 7, 8 * (w - 4)], 'RWL', `Port number of interleave way ${w}`))),
    );
  }
  return block(HDM_BLOCK_ID, 'HDM Decoder Capability Structure', hdmBlockSize(n), regs, 'CXL 2.0 8.2.5.12');
};
