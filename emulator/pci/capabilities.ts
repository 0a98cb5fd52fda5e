// PCI capabilities in the first 256 bytes of config space, as declarations shaped by numeric parameters so
// endpoints, root ports and switch ports call the same builders (STYLE.md: capability builders per component).

import { bit, block, field, reg, rsvdP } from '../regs/decl.js';
import type { BlockDecl, FieldDecl } from '../regs/types.js';
import { CAP_ID, LINK_SPEED_GTS } from './ids.js';

type P = Readonly<Record<string, number>>;

const capHeader = (id: number, next: number): FieldDecl[] => [
  field('Capability ID', [7, 0], 'RO', 'Capability ID', id),
  field('Next Capability Pointer', [15, 8], 'RO', 'Offset of the next capability (0 = last)', next),
];

/** Power Management capability, 8 bytes (PCI PM 1.2; PCIe Base 7.5.2). Params: next. No PME support. */
export function pmCapDecl(p: P): BlockDecl {
  return block(
    'pci-pm',
    'Power Management Capability',
    0x8,
    [
      reg('PM Capability', 0x0, 4, [
        ...capHeader(CAP_ID.pm, p.next ?? 0),
        field('Version', [18, 16], 'RO', 'PCI PM version (3 = PM 1.2)', 3),
        bit('PME Clock', 19, 'RO', 'Hardwired 0 on PCIe'),
        bit('Immediate Readiness on Return to D0', 20, 'RO', 'No delay needed after D3hot -> D0'),
        bit('DSI', 21, 'RO', 'No device-specific initialisation'),
        field('Aux Current', [24, 22], 'RO', 'No aux current'),
        bit('D1 Support', 25, 'RO', 'D1 not supported'),
        bit('D2 Support', 26, 'RO', 'D2 not supported'),
        field('PME Support', [31, 27], 'RO', 'PME not supported from any state'),
      ]),
      reg('PM Control/Status', 0x4, 4, [
        field('PowerState', [1, 0], 'RW', 'D-state', 0, { 0: 'D0', 3: 'D3hot' }),
        rsvdP(2, 2),
        bit('No_Soft_Reset', 3, 'RO', 'State kept across D3hot -> D0', 1),
        rsvdP(7, 4),
        bit('PME_En', 8, 'RO', 'PME not supported: hardwired 0'),
        field('Data_Select', [12, 9], 'RO', 'No Data register'),
        field('Data_Scale', [14, 13], 'RO', 'No Data register'),
        bit('PME_Status', 15, 'RO', 'PME not supported: hardwired 0'),
        rsvdP(23, 16),
        field('Data', [31, 24], 'RO', 'No Data register'),
      ]),
    ],
    'PCIe Base 7.5.2',
  );
}

/**
 * MSI-X capability, 12 bytes (PCIe Base 7.7.2). Params: next, vectors, tableBir, tableOffset, pbaBir, pbaOffset.
 */
export function msixCapDecl(p: P): BlockDecl {
  return block(
    'pci-msix',
    'MSI-X Capability',
    0xc,
    [
      reg('MSI-X Capability', 0x0, 4, [
        ...capHeader(CAP_ID.msix, p.next ?? 0),
        field('Table Size', [26, 16], 'RO', 'Number of vectors minus 1', Math.max(0, (p.vectors ?? 1) - 1)),
        rsvdP(29, 27),
        bit('Function Mask', 30, 'RW', 'Mask all vectors'),
        bit('MSI-X Enable', 31, 'RW', 'Use MSI-X'),
      ]),
      reg('Table Offset/BIR', 0x4, 4, [
        field('Table BIR', [2, 0], 'RO', 'BAR holding the vector table', p.tableBir ?? 0),
        field('Table Offset', [31, 3], 'RO', 'Offset of the table in the BAR (8-byte units)', (p.tableOffset ?? 0) >>> 3),
      ]),
      reg('PBA Offset/BIR', 0x8, 4, [
        field('PBA BIR', [2, 0], 'RO', 'BAR holding the pending bit array', p.pbaBir ?? 0),
        field('PBA Offset', [31, 3], 'RO', 'Offset of the PBA in the BAR (8-byte units)', (p.pbaOffset ?? 0) >>> 3),
      ]),
    ],
    'PCIe Base 7.7.2',
  );
}

/** MSI-X table + PBA as one BAR block (PCIe Base 7.7.2.5-7.7.2.10). Params: vectors, pbaOffset, size. */
export function msixTableDecl(p: P): BlockDecl {
  const vectors = p.vectors ?? 1;
  const regs = [];
  for (let v = 0; v < vectors; v++) {
    const o = 16 * v;
    regs.push(
      reg(`Vector ${v} Message Address`, o, 4, [rsvdP(1, 0), field('Message Address', [31, 2], 'RW', 'Dword-aligned message address')]),
      reg(`Vector ${v} Message Upper Address`, o + 4, 4, [field('Message Upper Address', [31, 0], 'RW', 'Address [63:32]')]),
      reg(`Vector ${v} Message Data`, o + 8, 4, [field('Message Data', [31, 0], 'RW', 'Data written')]),
      reg(`Vector ${v} Vector Control`, o + 12, 4, [bit('Mask Bit', 0, 'RW', 'Vector masked', 1), rsvdP(31, 1)]),
    );
  }
  const pba = p.pbaOffset ?? 0x800;
  for (let q = 0; q < Math.ceil(vectors / 64); q++) {
    regs.push(reg(`Pending Bits ${q}`, pba + 8 * q, 8, [field('Pending Bits', [Math.min(63, vectors - 64 * q - 1), 0], 'RO', 'Pending messages')]));
  }
  return block('pci-msix-table', 'MSI-X Table and PBA', p.size ?? 0x1000, regs, 'PCIe Base 7.7.2.5');
}

/**
 * PCI Express capability, 0x3C bytes (PCIe Base 7.5.3). Params: next, portType (ids.ts PORT_TYPE), maxSpeed,
 * maxWidth, curSpeed, curWidth, msgNum, maxPayload (encoded: 0 = 128 B, 1 = 256 B ...), portNumber, slot.
 * qemu72 = 1: the reset values QEMU 7.2's pcie_cap_init gives an endpoint (hw/pci/pcie.c of that tree, and a
 * Linux 6.1 guest's reads of it): Device Capabilities only Role-Based Error Reporting, Device Control 0, a
 * 2.5 GT/s x1 link with L0s ASPM, Device Capabilities 2 = Extended Fmt + End-End TLP Prefix, no speeds vector.
 */
export function pcieCapDecl(p: P): BlockDecl {
  const q = p.qemu72 === 1;
  if (q) p = { ...p, maxSpeed: 1, maxWidth: 1, maxPayload: 0 };
  const maxSpeed = p.maxSpeed ?? 5;
  const speedVector = ((1 << maxSpeed) - 1) << 1; // 7.5.3.18: bit n-1+1 = speed n supported
  const isEndpoint = (p.portType ?? 0) === 0;
  return block(
    'pci-express',
    'PCI Express Capability',
    0x3c,
    [
      reg('PCIe Capabilities', 0x0, 4, [
        ...capHeader(CAP_ID.pcie, p.next ?? 0),
        field('Capability Version', [19, 16], 'RO', 'Version 2', 2),
        field('Device/Port Type', [23, 20], 'RO', 'Function type', p.portType ?? 0, { 0: 'PCIe Endpoint', 4: 'Root Port', 5: 'Switch Upstream Port', 6: 'Switch Downstream Port' }),
        bit('Slot Implemented', 24, 'RO', 'Link connects to a slot', p.slot ?? 0),
        field('Interrupt Message Number', [29, 25], 'RO', 'MSI-X vector for PCIe events', p.msgNum ?? 0),
        rsvdP(31, 30),
      ]),
      reg('Device Capabilities', 0x4, 4, [
        field('Max_Payload_Size Supported', [2, 0], 'RO', '128 B << n', p.maxPayload ?? 1),
        field('Phantom Functions Supported', [4, 3], 'RO', 'None'),
        bit('Extended Tag Field Supported', 5, 'RO', '8-bit tags', q ? 0 : 1),
        field('Endpoint L0s Acceptable Latency', [8, 6], 'RO', 'No limit', isEndpoint && !q ? 7 : 0),
        field('Endpoint L1 Acceptable Latency', [11, 9], 'RO', 'No limit', isEndpoint && !q ? 7 : 0),
        rsvdP(14, 12),
        bit('Role-Based Error Reporting', 15, 'RO', 'Always 1 (PCIe Base 7.5.3.3)', 1),
        rsvdP(17, 16),
        field('Captured Slot Power Limit Value', [25, 18], 'RO', 'Not captured'),
        field('Captured Slot Power Limit Scale', [27, 26], 'RO', 'Not captured'),
        bit('Function Level Reset Capability', 28, 'RO', 'FLR not supported'),
        rsvdP(31, 29),
      ]),
      reg('Device Control', 0x8, 2, [
        bit('Correctable Error Reporting Enable', 0, 'RW', 'Send ERR_COR'),
        bit('Non-Fatal Error Reporting Enable', 1, 'RW', 'Send ERR_NONFATAL'),
        bit('Fatal Error Reporting Enable', 2, 'RW', 'Send ERR_FATAL'),
        bit('Unsupported Request Reporting Enable', 3, 'RW', 'Report URs'),
        bit('Enable Relaxed Ordering', 4, 'RW', 'May set RO attribute', q ? 0 : 1),
        field('Max_Payload_Size', [7, 5], 'RW', '128 B << n'),
        bit('Extended Tag Field Enable', 8, 'RW', '8-bit tags', q ? 0 : 1),
        bit('Phantom Functions Enable', 9, 'RO', 'Not supported'),
        bit('Aux Power PM Enable', 10, 'RO', 'No aux power'),
        bit('Enable No Snoop', 11, 'RW', 'May set No Snoop attribute', q ? 0 : 1),
        field('Max_Read_Request_Size', [14, 12], 'RW', '128 B << n', q ? 0 : 2),
        bit('Initiate FLR / Bridge Config Retry Enable', 15, 'RO', 'FLR not supported'),
      ]),
      reg('Device Status', 0xa, 2, [
        bit('Correctable Error Detected', 0, 'RW1C', 'A correctable error was detected'),
        bit('Non-Fatal Error Detected', 1, 'RW1C', 'A non-fatal error was detected'),
        bit('Fatal Error Detected', 2, 'RW1C', 'A fatal error was detected'),
        bit('Unsupported Request Detected', 3, 'RW1C', 'An UR was received'),
        bit('AUX Power Detected', 4, 'RO', 'No aux power'),
        bit('Transactions Pending', 5, 'RO', 'No outstanding non-posted requests'),
        rsvdZ16(),
      ]),
      reg('Link Capabilities', 0xc, 4, [
        field('Max Link Speed', [3, 0], 'RO', 'Supported Link Speeds Vector bit', maxSpeed, LINK_SPEED_GTS),
        field('Maximum Link Width', [9, 4], 'RO', 'Lanes', p.maxWidth ?? 16),
        field('ASPM Support', [11, 10], 'RO', 'No ASPM (QEMU 7.2: L0s)', q ? 1 : 0),
        field('L0s Exit Latency', [14, 12], 'RO', '>4 us', q ? 0 : 7),
        field('L1 Exit Latency', [17, 15], 'RO', '>64 us', q ? 0 : 7),
        bit('Clock Power Management', 18, 'RO', 'Not supported'),
        bit('Surprise Down Error Reporting Capable', 19, 'RO', 'Downstream ports only', isEndpoint ? 0 : 1),
        bit('Data Link Layer Link Active Reporting Capable', 20, 'RO', 'Downstream ports only', isEndpoint ? 0 : 1),
        bit('Link Bandwidth Notification Capability', 21, 'RO', 'Downstream ports only', isEndpoint ? 0 : 1),
        bit('ASPM Optionality Compliance', 22, 'RO', 'Always 1 for new designs', q ? 0 : 1),
        rsvdP(23, 23),
        field('Port Number', [31, 24], 'RO', 'Port number', p.portNumber ?? 0),
      ]),
      reg('Link Control', 0x10, 2, [
        field('ASPM Control', [1, 0], 'RW', 'ASPM enables'),
        rsvdP(2, 2),
        bit('Read Completion Boundary', 3, isEndpoint ? 'RW' : 'RO', '0 = 64 B, 1 = 128 B'),
        bit('Link Disable', 4, isEndpoint ? 'RsvdP' : 'RW', 'Downstream ports only'),
        bit('Retrain Link', 5, isEndpoint ? 'RsvdP' : 'RW', 'Downstream ports only'),
        bit('Common Clock Configuration', 6, 'RW', 'Common reference clock'),
        bit('Extended Synch', 7, 'RW', 'Extended synchronisation'),
        bit('Enable Clock Power Management', 8, 'RO', 'Not capable'),
        bit('Hardware Autonomous Width Disable', 9, 'RW', 'Disable autonomous width changes'),
        bit('Link Bandwidth Management Interrupt Enable', 10, isEndpoint ? 'RsvdP' : 'RW', 'Downstream ports only'),
        bit('Link Autonomous Bandwidth Interrupt Enable', 11, isEndpoint ? 'RsvdP' : 'RW', 'Downstream ports only'),
        rsvdP(15, 12),
      ]),
      reg('Link Status', 0x12, 2, [
        field('Current Link Speed', [3, 0], 'RO', 'Negotiated speed', p.curSpeed ?? maxSpeed, LINK_SPEED_GTS),
        field('Negotiated Link Width', [9, 4], 'RO', 'Negotiated lanes', p.curWidth ?? p.maxWidth ?? 16),
        rsvdP(10, 10),
        bit('Link Training', 11, 'RO', 'Training in progress'),
        bit('Slot Clock Configuration', 12, 'HwInit', 'Uses the slot reference clock', q ? 0 : 1),
        bit('Data Link Layer Link Active', 13, 'RO', 'DL_Active', isEndpoint ? 0 : 1),
        bit('Link Bandwidth Management Status', 14, isEndpoint ? 'RsvdZ' : 'RW1C', 'Downstream ports only'),
        bit('Link Autonomous Bandwidth Status', 15, isEndpoint ? 'RsvdZ' : 'RW1C', 'Downstream ports only'),
      ]),
      reg('Device Capabilities 2', 0x24, 4, [
        field('Completion Timeout Ranges Supported', [3, 0], 'RO', '0 = ranges not supported'),
        bit('Completion Timeout Disable Supported', 4, 'RO', 'Supported', q ? 0 : 1),
        rsvdP(19, 5),
        bit('Extended Fmt Field Supported', 20, 'RO', '3-bit Fmt field', q ? 1 : 0),
        bit('End-End TLP Prefix Supported', 21, 'RO', 'TLP prefixes', q ? 1 : 0),
        rsvdP(31, 22),
      ]),
      reg('Device Control 2', 0x28, 2, [
        field('Completion Timeout Value', [3, 0], 'RW', 'Default range'),
        bit('Completion Timeout Disable', 4, 'RW', 'Disable the completion timeout'),
        rsvdP(15, 5),
      ]),
      reg('Link Capabilities 2', 0x2c, 4, [
        rsvdP(0, 0),
        field('Supported Link Speeds Vector', [7, 1], 'RO', 'Bit n-1: speed n supported', q ? 0 : speedVector >> 1),
        bit('Crosslink Supported', 8, 'RO', 'No'),
        rsvdP(31, 9),
      ]),
      reg('Link Control 2', 0x30, 2, [
        field('Target Link Speed', [3, 0], 'RWS', 'Upper speed limit', q ? 0 : maxSpeed, LINK_SPEED_GTS),
        bit('Enter Compliance', 4, 'RWS', 'Enter compliance mode'),
        bit('Hardware Autonomous Speed Disable', 5, 'RWS', 'Disable autonomous speed changes'),
        bit('Selectable De-emphasis', 6, 'HwInit', 'Downstream ports only'),
        field('Transmit Margin', [9, 7], 'RWS', 'Compliance testing'),
        bit('Enter Modified Compliance', 10, 'RWS', 'Compliance testing'),
        bit('Compliance SOS', 11, 'RWS', 'Compliance testing'),
        field('Compliance Preset/De-emphasis', [15, 12], 'RWS', 'Compliance testing'),
      ]),
      reg('Link Status 2', 0x32, 2, [
        bit('Current De-emphasis Level', 0, 'RO', '-3.5 dB'),
        bit('Equalization 8.0 GT/s Complete', 1, 'RO', 'Equalization done', maxSpeed >= 3 ? 1 : 0),
        rsvdZ(15, 2),
      ]),
    ],
    'PCIe Base 7.5.3',
  );
}

const rsvdZ16 = (): FieldDecl => field('Reserved', [15, 6], 'RsvdZ', 'Reserved');
const rsvdZ = (hi: number, lo: number): FieldDecl => field('Reserved', [hi, lo], 'RsvdZ', 'Reserved');
