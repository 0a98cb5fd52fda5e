// Device profiles (Type3Config.profile): 'spec' follows the CXL spec; 'qemu' answers as QEMU's Type 3 device
// does (qemu-cxl.md sections 4a, 4d, 6), so traces of the emulator line up with traces taken under QEMU.

import type { DeviceProfile } from '../type3/config.js';
import { OP } from './opcodes.js';
import { RC } from './return-codes.js';

export interface MailboxProfile {
  name: DeviceProfile;
  /** Opcodes this profile does not implement (Unsupported, and absent from the CEL). */
  omit: ReadonlySet<number>;
  /** Clear Event Records with handles that are not the oldest records. */
  badHandleRc: number;
  /** Identify reports real event log sizes (QEMU reports 0 for the four classic logs). */
  reportEventLogSizes: boolean;
  /** Identify DC event log size. */
  dcEventLogSize: number | null;
  /** Mailbox Inject Poison limit (0 = no limit; the list bound then applies). */
  injectPoisonLimit: number;
  /** FW revision strings of slots 1.. at power-on (null = empty slot). */
  fwSlots: (string | null)[];
  /** Identify's FW Revision when it is not the active slot's string (QEMU prints its own); null = active slot. */
  identifyFwRevision: string | null;
  /**
   * Opcodes answered Media Disabled while the media is disabled, replacing the command table's per-command rule;
   * null = use the table. QEMU checks Busy (one background command at a time) before this list.
   */
  mediaDisabledOpcodes: ReadonlySet<number> | null;
  /**
   * Event Interrupt Policy message numbers per log (Info, Warning, Failure, Fatal, DC) that Get reports for an
   * enabled log; null = the message number reads 0 (one shared vector).
   */
  eventIrqVectors: readonly number[] | null;
  /** Identify as QEMU 7.2 answers it: 0x43 bytes, poison fields and event log sizes 0. */
  identify72?: boolean;
  /** Identify in CXL 2.0's 0x43-byte form (Table 175). */
  identify20?: boolean;
}

const SPEC: MailboxProfile = {
  name: 'spec',
  omit: new Set(),
  badHandleRc: RC.invalidHandle, // CXL 2.0 8.2.9.1.3
  reportEventLogSizes: true,
  dcEventLogSize: null,
  injectPoisonLimit: 32,
  fwSlots: ['CXLBENCH FW 1.0', null],
  identifyFwRevision: null,
  mediaDisabledOpcodes: null,
  eventIrqVectors: null,
};

const QEMU: MailboxProfile = {
  name: 'qemu',
  // Commands QEMU's Type 3 mailbox lacks (qemu-cxl.md 4d).
  omit: new Set([
    OP.setPartitionInfo,
    OP.getHealthInfo,
    OP.getShutdownState,
    OP.setShutdownState,
    OP.secureErase,
    OP.setPassphrase,
    OP.disablePassphrase,
    OP.unlock,
    OP.freezeSecurityState,
    OP.passphraseSecureErase,
  ]),
  badHandleRc: RC.invalidInput,
  reportEventLogSizes: false,
  dcEventLogSize: 8,
  injectPoisonLimit: 0,
  fwSlots: ['BWFW VERSION 0', 'BWFW VERSION 1'],
  // cmd_identify_memory_device: snprintf("BWFW VERSION %02d", 0), independent of Get FW Info's slot strings.
  identifyFwRevision: 'BWFW VERSION 00',
  // QEMU hw/cxl/cxl-mailbox-utils.c cxl_process_cci_message "forbid any selected commands while the media is
  // disabled": this exact list, so Get Event Records, Get Partition Info and Get Log fail too (the spec profile lets
  // them through: they do not touch the media), while the scan-media commands still run.
  // hw/cxl/cxl-events.c cxl_event_init(cxlds, 2): MSI-X vectors 2-5 for the four logs, DC reuses Info's; Get Event
  // Interrupt Policy reports CXL_EVENT_INT_SETTING(vec) = vec << 4 | MSI/MSI-X for every enabled log.
  eventIrqVectors: [2, 3, 4, 5, 2],
  mediaDisabledOpcodes: new Set([
    OP.getEventRecords,
    OP.getPartitionInfo,
    OP.setLsa,
    OP.getLsa,
    OP.getLog,
    OP.getPoisonList,
    OP.injectPoison,
    OP.clearPoison,
    OP.sanitize,
    OP.transferFw,
    OP.activateFw,
  ]),
};

/**
 * QEMU 7.2's cxl-type3 mailbox (hw/cxl/cxl-mailbox-utils.c cxl_cmd_set of that tree): only events (stubs),
 * Get FW Info, Get/Set Timestamp, Get Supported Logs, Get Log, Identify (0x43 bytes: persistent capacity, LSA
 * size, FW "BWFW VERSION 00", everything else 0), Get Partition Info, Get/Set LSA.
 */
const QEMU_7_2_COMMANDS: ReadonlySet<number> = new Set([
  OP.getEventRecords, OP.clearEventRecords, OP.getEventInterruptPolicy, OP.setEventInterruptPolicy,
  OP.getFwInfo, OP.getTimestamp, OP.setTimestamp, OP.getSupportedLogs, OP.getLog,
  OP.identifyMemoryDevice, OP.getPartitionInfo, OP.getLsa, OP.setLsa,
]);
const QEMU_7_2: MailboxProfile = {
  ...QEMU,
  name: 'qemu-7.2',
  omit: new Set(Object.values(OP).filter((op) => !QEMU_7_2_COMMANDS.has(op))),
  injectPoisonLimit: 0,
  identify72: true,
};

/** CXL 2.0 (the 'spec' profile claims 2.0): no r3.x commands (Request Abort Background Operation, Features), 0x43-byte Identify. */
const SPEC_2_0: MailboxProfile = {
  ...SPEC,
  name: 'spec-2.0',
  omit: new Set([OP.requestAbortBackgroundOperation, OP.getSupportedFeatures, OP.getFeature, OP.setFeature]),
  identify20: true,
};

const PROFILES: Readonly<Record<DeviceProfile, MailboxProfile>> = { spec: SPEC, 'spec-2.0': SPEC_2_0, qemu: QEMU, 'qemu-7.2': QEMU_7_2 };
export const mailboxProfile = (name: DeviceProfile): MailboxProfile => PROFILES[name] ?? SPEC;
