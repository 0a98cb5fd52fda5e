// CXL DVSEC builders (CXL 2.0 8.1). Each takes numeric parameters so the Type 3 device, root ports and switch
// ports compose the same builders (reference sheet cxl-registers.md 1.x). The PCIe DVSEC framing is PCIe Base
// 7.9.6: extended header (ID 0x0023), DVSEC Header 1 (vendor, revision, length), DVSEC Header 2 (DVSEC ID).

import { bit, block, field, reg, roReg, rsvdP } from '../regs/decl.js';
import type { BlockDecl, FieldDecl, RegisterDecl } from '../regs/types.js';
import { EXT_CAP_ID } from '../pci/ids.js';
import { extCapHeader } from '../pci/ext-capabilities.js';

type P = Readonly<Record<string, number>>;

export const CXL_VENDOR_ID = 0x1e98;

/** DVSEC IDs (CXL 2.0 Table 124; reference sheet 1.1). */
export const DVSEC_ID = { device: 0, nonCxlFunctionMap: 2, portExtensions: 3, gpfPort: 4, gpfDevice: 5, flexBus: 7, registerLocator: 8, mld: 9 } as const;

export const dvsecHeader = (id: number, revision: number, length: number, next: number): RegisterDecl[] => [
  extCapHeader(EXT_CAP_ID.dvsec, 1, next),
  reg('DVSEC Header 1', 0x4, 4, [
    field('DVSEC Vendor ID', [15, 0], 'RO', 'CXL consortium', CXL_VENDOR_ID),
    field('DVSEC Revision', [19, 16], 'RO', 'Revision', revision),
    field('DVSEC Length', [31, 20], 'RO', 'Length in bytes', length),
  ]),
  roReg('DVSEC Header 2', 0x8, 2, id, 'DVSEC ID'),
];

const rangeRegs = (n: 1 | 2, base: number, sizeBytes: number, p: P): RegisterDecl[] => {
  const present = sizeBytes > 0;
  const sizeHi = Math.floor(sizeBytes / 2 ** 32) >>> 0;
  const sizeLo = (sizeBytes % 2 ** 32) >>> 28;
  return [
    roReg(`Range ${n} Size High`, base, 4, sizeHi, `Range ${n} size [63:32]`),
    reg(`Range ${n} Size Low`, base + 4, 4, [
      bit('Memory_Info_Valid', 0, 'RO', 'Size and type fields are valid', present ? 1 : 0),
      bit('Memory_Active', 1, 'RO', 'Memory is initialised and ready', present ? 1 : 0),
      field('Media_Type', [4, 2], 'RO', 'Media type', present ? (p[`media${n}`] ?? 2) : 0, { 0: 'Volatile', 1: 'Non-volatile', 2: 'See CDAT' }),
      field('Memory_Class', [7, 5], 'RO', 'Memory class', present ? (p[`class${n}`] ?? 2) : 0, { 0: 'Memory', 1: 'Storage', 2: 'See CDAT' }),
      field('Desired_Interleave', [12, 8], 'RO', 'Desired interleave granularity (0 = none)'),
      field('Memory_Active_Timeout', [15, 13], 'RO', '0 = 1 s, 1 = 4 s, 2 = 16 s, 3 = 64 s, 4 = 256 s'),
      rsvdP(27, 16),
      field('Memory_Size_Low', [31, 28], 'RO', `Range ${n} size [31:28]`, sizeLo),
    ]),
    reg(`Range ${n} Base High`, base + 8, 4, [field('Memory_Base_High', [31, 0], 'RWL', `Range ${n} base [63:32]`)]),
    reg(`Range ${n} Base Low`, base + 12, 4, [rsvdP(27, 0), field('Memory_Base_Low', [31, 28], 'RWL', `Range ${n} base [31:28]`)]),
  ];
};

/**
 * DVSEC 0, PCIe DVSEC for CXL Devices (CXL 2.0 8.1.3; rev 1, 0x38 bytes; rev >= 2 adds Capability3, 0x3C).
 * Params: next, revision, cap (Capability register value), range1Bytes, range2Bytes, media1/class1/media2/class2,
 * status2 (Status2 reset value), ctl (Control reset value), initiateStored (1: Control2 bits 1-2 read back, as QEMU).
 */
export function dvsecDeviceDecl(p: P): BlockDecl {
  const rev = p.revision ?? 1;
  const len = rev >= 2 ? 0x3c : 0x38;
  const cap = p.cap ?? 0x0016;
  const ctl = p.ctl ?? 0x0002;
  const initiate: FieldDecl['access'] = (p.initiateStored ?? 0) ? 'RW' : 'WO';
  const regs: RegisterDecl[] = [
    ...dvsecHeader(DVSEC_ID.device, rev, len, p.next ?? 0),
    reg('CXL Capability', 0x0a, 2, [
      bit('Cache_Capable', 0, 'RO', 'CXL.cache capable', cap & 1),
      bit('IO_Capable', 1, 'RO', 'CXL.io capable (always 1)', (cap >> 1) & 1),
      bit('Mem_Capable', 2, 'RO', 'CXL.mem capable', (cap >> 2) & 1),
      bit('Mem_HwInit_Mode', 3, 'RO', 'Device initialises memory without host help', (cap >> 3) & 1),
      field('HDM_Count', [5, 4], 'RO', 'Number of DVSEC HDM ranges', (cap >> 4) & 3),
      bit('Cache Writeback and Invalidate Capable', 6, 'RO', 'Supports Control2 bits 0-1', (cap >> 6) & 1),
      bit('CXL Reset Capable', 7, 'RO', 'Supports CXL Reset', (cap >> 7) & 1),
      field('CXL Reset Timeout', [10, 8], 'RO', '0 = 10 ms … 4 = 100 s', (cap >> 8) & 7),
      bit('CXL Reset Mem Clr Capable', 11, 'RO', 'Can clear memory on CXL Reset', (cap >> 11) & 1),
      rsvdP(12, 12),
      bit('Multiple Logical Device', 13, 'RO', 'Is an MLD', (cap >> 13) & 1),
      bit('Viral_Capable', 14, 'RO', 'Supports viral handling', (cap >> 14) & 1),
      bit('PM Init Completion Reporting Capable', 15, 'RO', 'Status2 bit 15 is meaningful', (cap >> 15) & 1),
    ]),
    reg('CXL Control', 0x0c, 2, [
      bit('Cache_Enable', 0, 'RWL', 'Enable CXL.cache', ctl & 1),
      bit('IO_Enable', 1, 'RO', 'CXL.io always enabled', 1),
      bit('Mem_Enable', 2, 'RWL', 'Enable CXL.mem (HDM decode)', (ctl >> 2) & 1),
      field('Cache_SF_Coverage', [7, 3], 'RWL', 'Snoop filter coverage'),
      field('Cache_SF_Granularity', [10, 8], 'RWL', 'Snoop filter granularity'),
      bit('Cache_Clean_Eviction', 11, 'RWL', 'Host need not see clean evictions'),
      rsvdP(13, 12),
      bit('Viral_Enable', 14, 'RWL', 'Enable viral handling'),
      rsvdP(15, 15),
    ]),
    reg('CXL Status', 0x0e, 2, [rsvdP(13, 0), bit('Viral_Status', 14, 'RW1CS', 'Device went viral'), rsvdP(15, 15)]),
    reg('CXL Control2', 0x10, 2, [
      bit('Disable Caching', 0, 'RW', 'Stop caching'),
      // CXL 2.0 8.1.3.4: the two Initiate bits are triggers that always read 0; QEMU's write mask (0x0F) stores
      // them, which `initiateStored: 1` reproduces.
      bit('Initiate Cache Write Back and Invalidation', 1, initiate, 'Flush the device cache (reads 0)'),
      bit('Initiate CXL Reset', 2, initiate, 'Start a CXL Reset (reads 0)'),
      bit('CXL Reset Mem Clr Enable', 3, 'RW', 'Clear memory during CXL Reset'),
      rsvdP(15, 4),
    ]),
    reg('CXL Status2', 0x12, 2, [
      bit('Cache Invalid', 0, 'RO', 'Cache written back and invalidated', (p.status2 ?? 0) & 1),
      bit('CXL Reset Complete', 1, 'RO', 'CXL Reset completed', ((p.status2 ?? 0) >> 1) & 1),
      bit('CXL Reset Error', 2, 'RO', 'CXL Reset failed', ((p.status2 ?? 0) >> 2) & 1),
      rsvdP(14, 3),
      bit('Power Management Initialization Complete', 15, 'RO', 'PM init done', ((p.status2 ?? 0) >> 15) & 1),
    ]),
    reg('CXL Lock', 0x14, 2, [bit('CONFIG_LOCK', 0, 'RWO', 'Locks the RWL fields of this DVSEC until reset (CXL 2.0 8.1.3.6)'), rsvdP(15, 1)]),
    reg('CXL Capability2', 0x16, 2, [field('Cache Size Unit', [3, 0], 'RO', '0 = not reported'), rsvdP(7, 4), field('Cache Size', [15, 8], 'RO', 'In Cache Size Units')]),
    ...rangeRegs(1, 0x18, p.range1Bytes ?? 0, p),
    ...rangeRegs(2, 0x28, p.range2Bytes ?? 0, p),
  ];
  if (rev >= 2) regs.push(reg('CXL Capability3', 0x38, 2, [field('Default Volatile HDM State', [3, 0], 'RO', 'r3.x: volatile HDM state after resets')]));
  return block('dvsec-cxl-device', 'PCIe DVSEC for CXL Devices', len, regs, 'CXL 2.0 8.1.3');
}

/** DVSEC 2, Non-CXL Function Map (CXL 2.0 8.1.4), 0x2C bytes. Params: next, map0..map7 (bitmaps). */
export function dvsecNonCxlFunctionMapDecl(p: P): BlockDecl {
  const regs: RegisterDecl[] = [...dvsecHeader(DVSEC_ID.nonCxlFunctionMap, 0, 0x2c, p.next ?? 0), roReg('Reserved', 0x0a, 2, 0, 'Reserved', 'RsvdP')];
  for (let i = 0; i < 8; i++) regs.push(roReg(`Non-CXL Function Map ${i}`, 0x0c + 4 * i, 4, (p[`map${i}`] ?? 0) >>> 0, `Functions ${32 * i}..${32 * i + 31} that are not CXL`, 'HwInit'));
  return block('dvsec-non-cxl-function-map', 'Non-CXL Function Map DVSEC', 0x2c, regs, 'CXL 2.0 8.1.4');
}

/** DVSEC 3, CXL Extensions DVSEC for Ports (CXL 2.0 8.1.5), 0x28 bytes. Params: next, status (reset value). */
export function dvsecPortExtensionsDecl(p: P): BlockDecl {
  const memBase = (name: string, off: number): RegisterDecl =>
    reg(name, off, 2, [field('Type', [3, 0], 'RO', '0 = 32-bit'), field('Address', [15, 4], 'RW', `${name} [31:20]`)]);
  const prefBase = (name: string, off: number): RegisterDecl =>
    reg(name, off, 2, [field('Type', [3, 0], 'RO', '1 = 64-bit', 1), field('Address', [15, 4], 'RW', `${name} [31:20]`)]);
  return block(
    'dvsec-port-extensions',
    'CXL Extensions DVSEC for Ports',
    0x28,
    [
      ...dvsecHeader(DVSEC_ID.portExtensions, 0, 0x28, p.next ?? 0),
      reg('CXL Port Extension Status', 0x0a, 2, [
        bit('Port Power Management Initialization Complete', 0, 'RO', 'PM init done', (p.status ?? 0) & 1),
        rsvdP(13, 1),
        bit('Viral Status', 14, 'RW1CS', 'Port went viral'),
        rsvdP(15, 15),
      ]),
      reg('Port Control Extensions', 0x0c, 2, [
        bit('Unmask SBR', 0, 'RW', 'Let Secondary Bus Reset propagate'),
        bit('Unmask Link Disable', 1, 'RW', 'Let Link Disable propagate'),
        bit('Alt Memory and ID Space Enable', 2, 'RW', 'Decode the Alt ranges'),
        bit('Alt BME', 3, 'RW', 'Bus master enable for the Alt ranges'),
        rsvdP(13, 4),
        bit('Viral Enable', 14, 'RW', 'Enable viral handling'),
        rsvdP(15, 15),
      ]),
      reg('Alt Bus Base', 0x0e, 1, [field('Alt Bus Base', [7, 0], 'RW', 'First bus of the Alt range')]),
      reg('Alt Bus Limit', 0x0f, 1, [field('Alt Bus Limit', [7, 0], 'RW', 'Last bus of the Alt range')]),
      memBase('Alt Memory Base', 0x10),
      memBase('Alt Memory Limit', 0x12),
      prefBase('Alt Prefetchable Memory Base', 0x14),
      prefBase('Alt Prefetchable Memory Limit', 0x16),
      reg('Alt Prefetchable Memory Base High', 0x18, 4, [field('Address', [31, 0], 'RW', 'Base [63:32]')]),
      reg('Alt Prefetchable Memory Limit High', 0x1c, 4, [field('Address', [31, 0], 'RW', 'Limit [63:32]')]),
      reg('CXL RCRB Base', 0x20, 4, [bit('Enable CXL RCRB', 0, 'RW', 'Enable the RCRB'), rsvdP(12, 1), field('CXL RCRB Base Address Low', [31, 13], 'RW', 'RCRB base [31:13]')]),
      reg('CXL RCRB Base High', 0x24, 4, [field('CXL RCRB Base Address High', [31, 0], 'RW', 'RCRB base [63:32]')]),
    ],
    'CXL 2.0 8.1.5',
  );
}

const gpfTimeout = (name: string, off: number, access: FieldDecl['access'], value: number): RegisterDecl =>
  reg(name, off, 2, [
    field('Timeout Base', [3, 0], access, 'Timeout = base x scale', value & 0xf),
    rsvdP(7, 4),
    field('Timeout Scale', [11, 8], access, '0 = 1 us, 1 = 10 us … 7 = 10 s', (value >> 8) & 0xf),
    rsvdP(15, 12),
  ]);

/** DVSEC 4, GPF DVSEC for CXL Ports (CXL 2.0 8.1.6), 0x10 bytes. Params: next, phase1, phase2 (reset values). */
export function dvsecGpfPortDecl(p: P): BlockDecl {
  return block(
    'dvsec-gpf-port',
    'GPF DVSEC for CXL Ports',
    0x10,
    [
      ...dvsecHeader(DVSEC_ID.gpfPort, 0, 0x10, p.next ?? 0),
      roReg('Reserved', 0x0a, 2, 0, 'Reserved', 'RsvdP'),
      gpfTimeout('GPF Phase 1 Control', 0x0c, 'RW', p.phase1 ?? 0x0001),
      gpfTimeout('GPF Phase 2 Control', 0x0e, 'RW', p.phase2 ?? 0x0001),
    ],
    'CXL 2.0 8.1.6',
  );
}

/** DVSEC 5, GPF DVSEC for CXL Devices (CXL 2.0 8.1.7), 0x10 bytes. Params: next, duration, powerMw. */
export function dvsecGpfDeviceDecl(p: P): BlockDecl {
  return block(
    'dvsec-gpf-device',
    'GPF DVSEC for CXL Devices',
    0x10,
    [
      ...dvsecHeader(DVSEC_ID.gpfDevice, 0, 0x10, p.next ?? 0),
      gpfTimeout('GPF Phase 2 Duration', 0x0a, 'RO', p.duration ?? 0x0603),
      roReg('GPF Phase 2 Power', 0x0c, 4, p.powerMw ?? 0x33, 'Power drawn during GPF phase 2 (mW)'),
    ],
    'CXL 2.0 8.1.7',
  );
}

const FLEX_BITS: readonly (readonly [number, string])[] = [
  [0, 'Cache'],
  [1, 'IO'],
  [2, 'Mem'],
  [5, 'CXL2p0 (68B Flit and VH)'],
  [6, 'CXL Multi-Logical Device'],
];

/**
 * DVSEC 7, PCIe DVSEC for Flex Bus Port (CXL 2.0 8.2.1.3; rev 1, 0x14 bytes; rev 2 0x20 bytes).
 * Params: next, revision, cap, ctl (reset), status (reset), ctlWritable (1 on downstream ports), modTs.
 */
export function dvsecFlexBusDecl(p: P): BlockDecl {
  const rev = p.revision ?? 1;
  const len = rev >= 2 ? 0x20 : 0x14;
  const cap = p.cap ?? 0x26;
  const ctl = p.ctl ?? 0x02;
  const st = p.status ?? cap;
  const ca: FieldDecl['access'] = (p.ctlWritable ?? 0) ? 'RW' : 'RO';
  const regs: RegisterDecl[] = [
    ...dvsecHeader(DVSEC_ID.flexBus, rev, len, p.next ?? 0),
    reg('Flex Bus Port Capability', 0x0a, 2, FLEX_BITS.map(([b, n]) => bit(`${n}_Capable`, b, 'RO', `${n} capable`, (cap >> b) & 1))),
    reg('Flex Bus Port Control', 0x0c, 2, [
      bit('Cache_Enable', 0, ca, 'Enable CXL.cache', ctl & 1),
      bit('IO_Enable', 1, 'RO', 'CXL.io always on', 1),
      bit('Mem_Enable', 2, ca, 'Enable CXL.mem', (ctl >> 2) & 1),
      bit('CXL Sync Hdr Bypass Enable', 3, ca, 'Sync header bypass', (ctl >> 3) & 1),
      bit('Drift Buffer Enable', 4, ca, 'Drift buffer', (ctl >> 4) & 1),
      bit('CXL2p0_Enable', 5, ca, '68B flit / VH mode', (ctl >> 5) & 1),
      bit('CXL Multi-Logical Device Enable', 6, ca, 'MLD mode', (ctl >> 6) & 1),
      bit('Disable_CXL1p1_Training', 7, ca, 'Do not train as CXL 1.1', (ctl >> 7) & 1),
      bit('Retimer1_Present', 8, ca, 'A retimer is present', (ctl >> 8) & 1),
      bit('Retimer2_Present', 9, ca, 'Two retimers are present', (ctl >> 9) & 1),
      rsvdP(15, 10),
    ]),
    reg('Flex Bus Port Status', 0x0e, 2, [
      ...FLEX_BITS.map(([b, n]) => bit(`${n}_Enabled`, b, 'RO', `${n} negotiated`, (st >> b) & 1)),
      // CXL 2.0 8.2.1.3.3: bits 3 and 4 report the negotiated Sync Header Bypass and Drift Buffer (the Capability
      // register has no such bits, so FLEX_BITS leaves them out).
      bit('CXL_Sync_Hdr_Bypass_Enabled', 3, 'RO', 'Sync header bypass negotiated', (st >> 3) & 1),
      bit('Drift_Buffer_Enabled', 4, 'RO', 'Drift buffer enabled', (st >> 4) & 1),
      bit('CXL Correctable Protocol ID Framing Error', 8, 'RW1C', 'Framing error corrected'),
      bit('CXL Uncorrectable Protocol ID Framing Error', 9, 'RW1C', 'Uncorrectable framing error'),
      bit('CXL Unexpected Protocol ID Dropped', 10, 'RW1C', 'Flit with an unexpected protocol ID dropped'),
    ]),
    roReg('Flex Bus Port Received Modified TS Data Phase1', 0x10, 4, p.modTs ?? 0, 'Modified TS1 data from the partner'),
  ];
  if (rev >= 2) {
    regs.push(
      reg('Flex Bus Port Capability2', 0x14, 4, [bit('NOP Hint Capable', 0, 'RO', 'No'), rsvdP(31, 1)]),
      reg('Flex Bus Port Control2', 0x18, 4, [bit('NOP Hint Enable', 0, 'RO', 'Not capable'), rsvdP(31, 1)]),
      roReg('Flex Bus Port Status2', 0x1c, 4, 0, 'r3.x status'),
    );
  }
  return block('dvsec-flex-bus', 'PCIe DVSEC for Flex Bus Port', len, regs, 'CXL 2.0 8.2.1.3');
}

/** Register Block Identifiers (CXL 2.0 8.1.9.1). */
export const RBI = { empty: 0, component: 1, barVirtualizationAcl: 2, device: 3, cpmu: 4 } as const;

/**
 * DVSEC 8, Register Locator (CXL 2.0 8.1.9), 0x0C + 8 x count bytes. Params: next, count, and for each entry
 * i: bir{i}, rbi{i}, offset{i} (byte offset in the BAR, 64 KiB aligned).
 */
export function dvsecRegisterLocatorDecl(p: P): BlockDecl {
  const count = p.count ?? 0;
  const len = 0x0c + 8 * count;
  const regs: RegisterDecl[] = [...dvsecHeader(DVSEC_ID.registerLocator, 0, len, p.next ?? 0), roReg('Reserved', 0x0a, 2, 0, 'Reserved', 'RsvdP')];
  for (let i = 0; i < count; i++) {
    const off = p[`offset${i}`] ?? 0;
    regs.push(
      reg(`Register Block ${i} Offset Low`, 0x0c + 8 * i, 4, [
        field('Register BIR', [2, 0], 'RO', 'BAR holding the block (0 = config 0x10)', p[`bir${i}`] ?? 0),
        rsvdP(7, 3),
        field('Register Block Identifier', [15, 8], 'RO', 'Block type', p[`rbi${i}`] ?? 0, { 0: 'Empty', 1: 'Component Registers', 2: 'BAR Virtualization ACL', 3: 'CXL Device Registers', 4: 'CPMU' }),
        field('Register Block Offset Low', [31, 16], 'RO', 'Offset [31:16] (64 KiB aligned)', (off % 2 ** 32) >>> 16),
      ]),
      roReg(`Register Block ${i} Offset High`, 0x10 + 8 * i, 4, Math.floor(off / 2 ** 32) >>> 0, 'Offset [63:32]'),
    );
  }
  return block('dvsec-register-locator', 'Register Locator DVSEC', len, regs, 'CXL 2.0 8.1.9');
}

/** DVSEC 9, MLD DVSEC (CXL 2.0 8.1.10), 0x10 bytes. Params: next, lds. */
export function dvsecMldDecl(p: P): BlockDecl {
  return block(
    'dvsec-mld',
    'MLD DVSEC',
    0x10,
    [
      ...dvsecHeader(DVSEC_ID.mld, 0, 0x10, p.next ?? 0),
      roReg('Number of LD Supported', 0x0a, 2, p.lds ?? 1, 'Logical devices (at most 16)', 'HwInit'),
      reg('LD-ID Hot Reset Vector', 0x0c, 2, [field('LD-ID Hot Reset Vector', [15, 0], 'RW', 'Write bit n to hot-reset LD n')]),
      roReg('Reserved', 0x0e, 2, 0, 'Reserved', 'RsvdP'),
    ],
    'CXL 2.0 8.1.10',
  );
}
