// Forms for mailbox commands (issue 15, finding 16), built from the payload declarations the emulator's handlers
// decode their input with (emulator/mailbox/payloads.ts): each field's offset, type and size come from there,
// never restated; this table only adds what a person needs — which layout is a command's input, a label, the
// named values of enumerated fields (CXL 2.0 8.2.9 tables cited) and units.

import { OP } from '../../emulator/mailbox/opcodes.js';
import {
  ActivateFwIn,
  ClearPoisonIn,
  GetEventRecordsIn,
  GetLogIn,
  GetLsaIn,
  GetPoisonListIn,
  InjectPoisonIn,
  ScanMediaIn,
  ScanMediaRangeIn,
  SetPartitionInfoIn,
  ShutdownState,
  Timestamp,
  TransferFwIn,
} from '../../emulator/mailbox/payloads.js';
import type { FieldKind } from '../../emulator/mailbox/layout.js';
import type { MailboxForm, MailboxFormField } from '../api/contract-live.js';

interface Declared {
  size: number;
  fields: Record<string, readonly [number, FieldKind, number?]>;
}

interface FieldHints {
  label?: string;
  values?: Record<number, string>;
  unit?: string;
  /** Multiple of this many bytes (DPAs in 64-byte lines). */
  align?: number;
}

const EVENT_LOG = { 0: 'informational', 1: 'warning', 2: 'failure', 3: 'fatal' }; // CXL 2.0 8.2.9.1.2 Event Log

/** opcode -> the input layout and its field hints. */
const FORMS: Record<number, { layout: Declared; hints?: Record<string, FieldHints> }> = {
  [OP.getEventRecords]: { layout: GetEventRecordsIn, hints: { log: { label: 'Event log', values: EVENT_LOG } } },
  [OP.transferFw]: {
    layout: TransferFwIn,
    // CXL 2.0 8.2.9.2.2: Action.
    hints: { action: { values: { 0: 'full transfer', 1: 'initiate', 2: 'continue', 3: 'end', 4: 'abort' } }, offset: { unit: '128-byte units' } },
  },
  [OP.activateFw]: { layout: ActivateFwIn, hints: { action: { values: { 0: 'online', 1: 'on next cold reset' } } } }, // CXL 2.0 8.2.9.2.3 Action
  [OP.setTimestamp]: { layout: Timestamp, hints: { timestamp: { label: 'Timestamp', unit: 'ns since 1970-01-01 UTC' } } },
  [OP.getLog]: { layout: GetLogIn, hints: { uuid: { label: 'Log UUID (16 bytes)' }, offset: { unit: 'bytes' }, length: { unit: 'bytes' } } },
  [OP.setPartitionInfo]: {
    layout: SetPartitionInfoIn,
    hints: { volatileCapacity: { unit: '256 MiB units' }, flags: { values: { 0: 'on next cold reset', 1: 'immediately' } } }, // CXL 2.0 8.2.9.5.2.2 Flags bit 0
  },
  [OP.getLsa]: { layout: GetLsaIn, hints: { offset: { unit: 'bytes' }, length: { unit: 'bytes' } } },
  [OP.setShutdownState]: { layout: ShutdownState, hints: { state: { values: { 0: 'clean', 1: 'dirty' } } } }, // CXL 2.0 8.2.9.5.3.5
  [OP.getPoisonList]: { layout: GetPoisonListIn, hints: { address: { label: 'DPA', align: 64 }, length: { unit: '64-byte lines' } } },
  [OP.injectPoison]: { layout: InjectPoisonIn, hints: { address: { label: 'DPA', align: 64 } } },
  [OP.clearPoison]: { layout: ClearPoisonIn, hints: { address: { label: 'DPA', align: 64 }, data: { label: 'Replacement data (64 bytes)' } } },
  [OP.getScanMediaCapabilities]: { layout: ScanMediaRangeIn, hints: { address: { label: 'DPA', align: 64 }, length: { unit: '64-byte lines' } } },
  [OP.scanMedia]: {
    layout: ScanMediaIn,
    hints: { address: { label: 'DPA', align: 64 }, length: { unit: '64-byte lines' }, flags: { values: { 0: 'log events', 1: 'no event log' } } }, // CXL 2.0 8.2.9.5.4.5 Flags bit 0
  },
};

const KIND_BYTES: Record<FieldKind, number> = { u8: 1, u16: 2, s16: 2, u24: 3, u32: 4, u64: 8, u64n: 8, bytes: 0 };

const words = (name: string): string => name.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/^./, (c) => c.toUpperCase());

/** The form of a command's input, or undefined when it has none declared (raw hex only). */
export function mailboxForm(opcode: number): MailboxForm | undefined {
  const f = FORMS[opcode];
  if (!f) return undefined;
  const fields: MailboxFormField[] = Object.entries(f.layout.fields)
    .map(([name, [offset, kind, bytes]]): MailboxFormField => {
      const h = f.hints?.[name] ?? {};
      return {
        name,
        label: h.label ?? words(name),
        offset,
        kind: kind === 'u64n' ? 'u64' : kind,
        bytes: kind === 'bytes' ? (bytes ?? 0) : KIND_BYTES[kind],
        ...(h.values ? { values: h.values } : {}),
        ...(h.unit ? { unit: h.unit } : {}),
        ...(h.align ? { align: h.align } : {}),
      };
    })
    .sort((a, b) => a.offset - b.offset);
  return { size: f.layout.size, fields };
}
