// The type-1 configuration header of a PCI-to-PCI bridge function: root ports and switch ports (PCIe Base
// 7.5.1.1 common part, 7.5.1.3 type 1; PCI-to-PCI Bridge Architecture 1.2 chapter 3). Bus numbers and the
// memory windows are plain RW registers; the bus model (bridge.ts) reads them to route config and MMIO.
// No I/O window (I/O Base/Limit read 0: PCIe Base 7.5.1.3.6 lets a bridge not implement it). BAR0/1 is one
// 64-bit non-prefetchable memory BAR for the port's component registers (as QEMU's cxl-rp/upstream/downstream).

import { bit, block, field, reg, roReg, rsvdP } from '../regs/decl.js';
import type { BlockDecl, FieldDecl, RegisterDecl } from '../regs/types.js';
import { registerBlockKind } from '../spec/blocks.js';
import { barRegisters, commandRegister } from '../pci/type0-header.js';

export const TYPE1_BLOCK_ID = 'pci-type1-header';

/** Offsets of the type-1 registers the bus model and enumeration use. */
export const T1 = {
  command: 0x04,
  bar0: 0x10,
  bar1: 0x14,
  primaryBus: 0x18,
  secondaryBus: 0x19,
  subordinateBus: 0x1a,
  memBase: 0x20,
  memLimit: 0x22,
  prefBase: 0x24,
  prefLimit: 0x26,
  prefBaseUpper: 0x28,
  prefLimitUpper: 0x2c,
  capPtr: 0x34,
  bridgeControl: 0x3e,
} as const;

/** PCI class code of a PCI-to-PCI bridge (06h 04h 00h). */
export const BRIDGE_CLASS = 0x060400;

const statusFields = (secondary: boolean): FieldDecl[] => [
  rsvdP(3, 0),
  bit('Capabilities List', 4, secondary ? 'RsvdP' : 'RO', 'A capability list is present', secondary ? 0 : 1),
  field('Legacy', [7, 5], 'RO', '66 MHz / fast back-to-back: hardwired 0'),
  bit('Master Data Parity Error', 8, 'RW1C', 'Poisoned completion received'),
  field('DEVSEL Timing', [10, 9], 'RO', 'Hardwired 0'),
  bit('Signaled Target Abort', 11, 'RW1C', 'Completed a request with Completer Abort'),
  bit('Received Target Abort', 12, 'RW1C', 'Received a Completer Abort'),
  bit('Received Master Abort', 13, 'RW1C', 'Received an Unsupported Request'),
  bit(secondary ? 'Received System Error' : 'Signaled System Error', 14, 'RW1C', 'ERR_FATAL/ERR_NONFATAL'),
  bit('Detected Parity Error', 15, 'RW1C', 'Received a poisoned TLP'),
];

/** [15:4] address [31:20], [3:0] type: 0 = 32-bit window, 1 = 64-bit (prefetchable) window. */
// Base/limit reset values are not defined by the PCI-to-PCI Bridge spec. A window with base 0 and limit 0 would
// claim [0, 1 MiB) before firmware programs it, so bases reset to all ones above limit 0: the window is closed
// until software opens it (QEMU does the same in pci_bridge_disable_base_limit).
const windowReg = (name: string, off: number, type: number, desc: string, reset = 0): RegisterDecl =>
  reg(name, off, 2, [
    field('Addressing', [3, 0], 'RO', type === 1 ? '64-bit' : '32-bit', type),
    field('Address', [15, 4], 'RW', desc, reset),
  ]);

/**
 * Params: vendorId, deviceId, revision, capPtr, bar0Log2 (component register BAR size as log2; 0 = no BAR).
 */
export function type1HeaderDecl(p: Readonly<Record<string, number>>): BlockDecl {
  // One 64-bit non-prefetchable memory BAR (BAR0/BAR1) for the port's component registers; bar0Log2 0 = none.
  const log2 = p.bar0Log2 ?? 16;
  const bars = barRegisters({ bar0Kind: log2 > 0 ? 2 : 0, bar0Log2: log2 }, 2);
  return block(
    TYPE1_BLOCK_ID,
    'PCI Type 1 (Bridge) Configuration Header',
    0x40,
    [
      roReg('Vendor ID', 0x00, 2, p.vendorId ?? 0xffff, 'Vendor ID'),
      roReg('Device ID', 0x02, 2, p.deviceId ?? 0xffff, 'Device ID'),
      commandRegister('bridge'),
      reg('Status', 0x06, 2, statusFields(false)),
      roReg('Revision ID', 0x08, 1, p.revision ?? 0, 'Revision ID'),
      roReg('Programming Interface', 0x09, 1, BRIDGE_CLASS & 0xff, 'Programming interface'),
      roReg('Sub-Class Code', 0x0a, 1, (BRIDGE_CLASS >> 8) & 0xff, 'PCI-to-PCI bridge'),
      roReg('Base Class Code', 0x0b, 1, (BRIDGE_CLASS >> 16) & 0xff, 'Bridge device'),
      reg('Cache Line Size', 0x0c, 1, [field('Cache Line Size', [7, 0], 'RW', 'No effect on PCIe')]),
      roReg('Primary Latency Timer', 0x0d, 1, 0, 'Hardwired 0 on PCIe'),
      roReg('Header Type', 0x0e, 1, 1, 'Type 1, single function'),
      roReg('BIST', 0x0f, 1, 0, 'No BIST'),
      ...bars,
      reg('Primary Bus Number', T1.primaryBus, 1, [field('Primary Bus Number', [7, 0], 'RW', 'Bus the bridge sits on')]),
      reg('Secondary Bus Number', T1.secondaryBus, 1, [field('Secondary Bus Number', [7, 0], 'RW', 'Bus directly below the bridge')]),
      reg('Subordinate Bus Number', T1.subordinateBus, 1, [field('Subordinate Bus Number', [7, 0], 'RW', 'Highest bus below the bridge')]),
      roReg('Secondary Latency Timer', 0x1b, 1, 0, 'Hardwired 0 on PCIe'),
      roReg('I/O Base', 0x1c, 1, 0, 'No I/O window'),
      roReg('I/O Limit', 0x1d, 1, 0, 'No I/O window'),
      reg('Secondary Status', 0x1e, 2, statusFields(true)),
      windowReg('Memory Base', T1.memBase, 0, 'Window base [31:20]', 0xfff),
      windowReg('Memory Limit', T1.memLimit, 0, 'Window limit [31:20] (inclusive, low 20 bits all ones)'),
      windowReg('Prefetchable Memory Base', T1.prefBase, 1, 'Window base [31:20]', 0xfff),
      windowReg('Prefetchable Memory Limit', T1.prefLimit, 1, 'Window limit [31:20]'),
      reg('Prefetchable Base Upper 32 Bits', T1.prefBaseUpper, 4, [field('Address', [31, 0], 'RW', 'Window base [63:32]', 0xffff_ffff)]),
      reg('Prefetchable Limit Upper 32 Bits', T1.prefLimitUpper, 4, [field('Address', [31, 0], 'RW', 'Window limit [63:32]')]),
      roReg('I/O Base Upper 16 Bits', 0x30, 2, 0, 'No I/O window'),
      roReg('I/O Limit Upper 16 Bits', 0x32, 2, 0, 'No I/O window'),
      roReg('Capabilities Pointer', T1.capPtr, 1, p.capPtr ?? 0, 'Offset of the first capability'),
      roReg('Expansion ROM Base Address', 0x38, 4, 0, 'No expansion ROM'),
      reg('Interrupt Line', 0x3c, 1, [field('Interrupt Line', [7, 0], 'RW', 'Scratch for interrupt routing')]),
      roReg('Interrupt Pin', 0x3d, 1, 0, '0 = no INTx'),
      reg('Bridge Control', T1.bridgeControl, 2, [
        bit('Parity Error Response Enable', 0, 'RW', 'Report secondary parity errors'),
        bit('SERR# Enable', 1, 'RW', 'Forward ERR_ messages'),
        bit('ISA Enable', 2, 'RO', 'No I/O window'),
        bit('VGA Enable', 3, 'RO', 'No VGA forwarding'),
        bit('VGA 16-bit Decode', 4, 'RO', 'No VGA forwarding'),
        bit('Master Abort Mode', 5, 'RO', 'Hardwired 0 (PCIe)'),
        bit('Secondary Bus Reset', 6, 'RW', 'Hot-reset the secondary side'),
        field('Legacy', [11, 7], 'RO', 'Hardwired 0 (PCIe)'),
        rsvdP(15, 12),
      ]),
    ],
    'PCIe Base 7.5.1.3',
  );
}

registerBlockKind(TYPE1_BLOCK_ID, type1HeaderDecl);
