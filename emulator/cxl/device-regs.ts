// CXL device register structures (CXL 2.0 8.2.8), located through Register Locator RBI 3. Accesses of 1, 2, 4 or
// 8 bytes are allowed (8.2.8), so 64-bit registers are declared whole.

import { bit, block, field, reg, rsvdP } from '../regs/decl.js';
import type { BlockDecl, RegisterDecl } from '../regs/types.js';

type P = Readonly<Record<string, number>>;

/** Device capability IDs (CXL 2.0 8.2.8.2.1 Table 151 / 152). */
export const DEV_CAP_ID = { deviceStatus: 0x0001, primaryMailbox: 0x0002, secondaryMailbox: 0x0003, memdevStatus: 0x4000 } as const;

const DEV_CAP_NAMES: Readonly<Record<number, string>> = {
  1: 'Device Status',
  2: 'Primary Mailbox',
  3: 'Secondary Mailbox',
  0x4000: 'Memory Device Status',
};

/**
 * Device Capabilities Array Register + capability headers (CXL 2.0 8.2.8.1-8.2.8.2). Params: count, type (r3.x
 * Type field [27:24]; 0 in CXL 2.0 where the bits are reserved), and for entry i (1-based) id{i}, ver{i},
 * off{i}, len{i}.
 */
export function devCapArrayDecl(p: P): BlockDecl {
  const count = p.count ?? 0;
  const regs: RegisterDecl[] = [
    reg('Device Capabilities Array Register', 0x0, 8, [
      field('Capability ID', [15, 0], 'RO', 'Always 0'),
      field('Version', [23, 16], 'RO', 'Version', 1),
      field('Type', [27, 24], 'RO', 'r3.x: 0 = from class code, 1 = memory device, 2 = switch CCI', p.type ?? 0),
      rsvdP(31, 28),
      field('Capabilities Count', [47, 32], 'RO', 'Number of capability headers that follow', count),
      rsvdP(63, 48),
    ]),
    reg('Device Capabilities Array Register High', 0x8, 8, [rsvdP(63, 0)]),
  ];
  for (let i = 1; i <= count; i++) {
    regs.push(
      reg(`Capability Header ${i}`, 0x10 * i, 8, [
        field('Capability ID', [15, 0], 'RO', 'Capability ID', p[`id${i}`] ?? 0, DEV_CAP_NAMES),
        field('Version', [23, 16], 'RO', 'Version', p[`ver${i}`] ?? 0),
        rsvdP(31, 24),
        field('Offset', [63, 32], 'RO', 'Offset of the structure from the start of the device registers', p[`off${i}`] ?? 0),
      ]),
      reg(`Capability Header ${i} Length`, 0x10 * i + 8, 8, [
        field('Length', [31, 0], 'RO', 'Length of the structure in bytes', p[`len${i}`] ?? 0),
        rsvdP(63, 32),
      ]),
    );
  }
  return block('cxl-dev-cap-array', 'CXL Device Capabilities Array', 0x10 * (count + 1), regs, 'CXL 2.0 8.2.8.1');
}

/** Device Status registers, 8 bytes (CXL 2.0 8.2.8.3). Params: version (2 adds the Dynamic Capacity bit). */
export function devStatusDecl(p: P): BlockDecl {
  const v2 = (p.version ?? 1) >= 2;
  return block(
    'cxl-dev-status',
    'CXL Device Status Registers',
    0x8,
    [
      reg('Event Status', 0x0, 8, [
        bit('Informational Event Log', 0, 'RO', 'Informational log has records'),
        bit('Warning Event Log', 1, 'RO', 'Warning log has records'),
        bit('Failure Event Log', 2, 'RO', 'Failure log has records'),
        bit('Fatal Event Log', 3, 'RO', 'Fatal log has records'),
        ...(v2 ? [bit('Dynamic Capacity Event Log', 4, 'RO', 'DC log has records'), rsvdP(63, 5)] : [rsvdP(63, 4)]),
      ]),
    ],
    'CXL 2.0 8.2.8.3.1',
  );
}

/**
 * Mailbox return codes (CXL 2.0 8.2.8.4.5.1 Table 150; r3.1 Table 8-34 for 0x17 and above), for decode. The
 * command set (emulator/mailbox) answers some r3.x codes (Invalid Log, Interrupted, Feature transfer, Request
 * Abort not supported), so the Status register decode must name them too.
 */
export const MB_RETURN_CODES: Readonly<Record<number, string>> = {
  0x00: 'Success',
  0x01: 'Background Command Started',
  0x02: 'Invalid Input',
  0x03: 'Unsupported',
  0x04: 'Internal Error',
  0x05: 'Retry Required',
  0x06: 'Busy',
  0x07: 'Media Disabled',
  0x08: 'FW Transfer in Progress',
  0x09: 'FW Transfer Out of Order',
  0x0a: 'FW Authentication Failed',
  0x0b: 'Invalid Slot',
  0x0c: 'Activation Failed, FW Rolled Back',
  0x0d: 'Activation Failed, Cold Reset Required',
  0x0e: 'Invalid Handle',
  0x0f: 'Invalid Physical Address',
  0x10: 'Inject Poison Limit Reached',
  0x11: 'Permanent Media Failure',
  0x12: 'Aborted',
  0x13: 'Invalid Security State',
  0x14: 'Incorrect Passphrase',
  0x15: 'Unsupported Mailbox or CCI',
  0x16: 'Invalid Payload Length',
  0x17: 'Invalid Log',
  0x18: 'Interrupted',
  0x19: 'Unsupported Feature Version',
  0x1a: 'Unsupported Feature Selection Value',
  0x1b: 'Feature Transfer in Progress',
  0x1c: 'Feature Transfer Out of Order',
  0x1d: 'Resources Exhausted',
  0x1e: 'Invalid Extent List',
  0x1f: 'Transfer Out of Order',
  0x20: 'Request Abort Not Supported',
};

/** Offset of the payload area in the mailbox structure (CXL 2.0 8.2.8.4). */
export const MB_PAYLOAD_OFFSET = 0x20;

/**
 * Mailbox registers without the payload area, 0x20 bytes (CXL 2.0 8.2.8.4). Params: payloadLog2, doorbellIrq,
 * bgIrq (interrupt capable bits), msgNum, readyTime.
 */
export function mailboxRegsDecl(p: P): BlockDecl {
  const dbIrq = p.doorbellIrq ?? 0;
  const bgIrq = p.bgIrq ?? 0;
  return block(
    'cxl-mailbox',
    'CXL Mailbox Registers',
    MB_PAYLOAD_OFFSET,
    [
      reg('Mailbox Capabilities', 0x00, 4, [
        field('Payload Size', [4, 0], 'RO', 'Payload area is 2^n bytes (8..20)', p.payloadLog2 ?? 11),
        bit('MB Doorbell Interrupt Capable', 5, 'RO', 'Interrupt on doorbell clear', dbIrq),
        bit('Background Command Complete Interrupt Capable', 6, 'RO', 'Interrupt on background completion', bgIrq),
        field('Interrupt Message Number', [10, 7], 'RO', 'MSI/MSI-X vector', p.msgNum ?? 0),
        field('Mailbox Ready Time', [18, 11], 'RO', 'r3.x: seconds until ready (0 = not reported)', p.readyTime ?? 0),
        rsvdP(31, 19),
      ]),
      reg('Mailbox Control', 0x04, 4, [
        bit('Doorbell', 0, 'RW', 'Set by the caller to run the command; cleared by the device when done'),
        bit('MB Doorbell Interrupt', 1, dbIrq ? 'RW' : 'RO', 'Interrupt when the doorbell clears'),
        bit('Background Command Complete Interrupt', 2, bgIrq ? 'RW' : 'RO', 'Interrupt when a background command completes'),
        rsvdP(31, 3),
      ]),
      reg('Command Register', 0x08, 8, [
        field('Command Opcode', [15, 0], 'RW', 'Command set [15:8], command [7:0]'),
        field('Payload Length', [36, 16], 'RW', 'Input length (caller) / output length (device) in bytes'),
        rsvdP(63, 37),
      ]),
      reg('Mailbox Status', 0x10, 8, [
        bit('Background Operation', 0, 'RO', 'A background command is running'),
        rsvdP(31, 1),
        field('Return Code', [47, 32], 'RO', 'Return code of the last command', 0, MB_RETURN_CODES),
        field('Vendor Specific Extended Status', [63, 48], 'RO', 'Vendor status'),
      ]),
      reg('Background Command Status', 0x18, 8, [
        field('Command Opcode', [15, 0], 'RO', 'Opcode of the last background command'),
        field('Percentage Complete', [22, 16], 'RO', '0-100'),
        rsvdP(31, 23),
        field('Return Code', [47, 32], 'RO', 'Return code of the completed background command', 0, MB_RETURN_CODES),
        field('Vendor Specific Extended Status', [63, 48], 'RO', 'Vendor status'),
      ]),
    ],
    'CXL 2.0 8.2.8.4',
  );
}

/** The mailbox payload area, 2^payloadLog2 bytes of plain storage (CXL 2.0 8.2.8.4.8). */
export function mailboxPayloadDecl(p: P): BlockDecl {
  return block('cxl-mailbox-payload', 'CXL Mailbox Command Payload', 2 ** (p.payloadLog2 ?? 11), [], 'CXL 2.0 8.2.8.4.8');
}

/** Memory Device Status register, 8 bytes (CXL 2.0 8.2.8.5.1.1). */
export function memdevStatusDecl(_p: P): BlockDecl {
  return block(
    'cxl-memdev-status',
    'CXL Memory Device Status Registers',
    0x8,
    [
      reg('Memory Device Status', 0x0, 8, [
        bit('Device Fatal', 0, 'RO', 'The device hit a fatal error'),
        bit('FW Halt', 1, 'RO', 'Firmware halted'),
        field('Media Status', [3, 2], 'RO', 'Media state', 0, { 0: 'Not Ready', 1: 'Ready', 2: 'Error', 3: 'Disabled' }),
        bit('Mailbox Interfaces Ready', 4, 'RO', 'The mailbox accepts commands'),
        field('Reset Needed', [7, 5], 'RO', 'Reset needed to recover', 0, { 0: 'None', 1: 'Cold', 2: 'Warm', 3: 'Hot', 4: 'CXL' }),
        rsvdP(63, 8),
      ]),
    ],
    'CXL 2.0 8.2.8.5.1.1',
  );
}
