// Fault and event injection for a Type 3 device: the QMP-like API the UI, CLI and tests use (QEMU's
// cxl-inject-* commands, qemu-cxl.md section 6), built from the same record layouts the mailbox returns.

import { encodeHealthInfo } from './handlers/health.js';
import { DramBody, EVENT_RECORD_SIZE, EventRecordHeader, GeneralMediaBody, MemoryModuleBody } from './payloads.js';
import type { HealthState, MediaState, Type3State } from './state/device-state.js';
import { EVENT_LOG, type EventLogName } from './state/event-logs.js';
import type { PoisonSource } from './state/poison-list.js';
import { EVENT_RECORD_UUID, uuidBytes } from './uuid.js';

export type EventRecordKind = keyof typeof EVENT_RECORD_UUID;

/** Fields of an injected record; anything left out is zero. Severity defaults to the log's own. */
export interface EventFields {
  /** Common header flags [23:0] (severity [1:0], permanent, maintenance needed, ...). */
  flags?: number;
  /** general-media / dram: DPA (64-byte aligned) and whether it is volatile (bit 0 of Physical Address). */
  dpa?: number;
  volatile?: boolean;
  descriptor?: number;
  type?: number;
  transactionType?: number;
  validityFlags?: number;
  channel?: number;
  rank?: number;
  /** general-media only. */
  device?: number;
  componentId?: Uint8Array;
  /** dram only. */
  nibbleMask?: number;
  bankGroup?: number;
  bank?: number;
  row?: number;
  column?: number;
  correctionMask?: Uint8Array;
  /** memory-module: Device Event Type (0 health status change, 1 media status change, 2 life used change,
   *  3 temperature change, 4 data path error, 5 LSA error); the health info is the device's current one. */
  eventType?: number;
}

export interface Type3Injection {
  /** Poison `[dpa, dpa+length)` (64-byte lines). Source defaults to 'internal', as QMP's cxl-inject-poison. */
  injectPoison(dpa: number, length: number, source?: PoisonSource): void;
  clearPoison(dpa: number, length: number): void;
  /** Append a record to a log; returns its handle, or 0 if the log overflowed. */
  injectEvent(log: EventLogName | number, kind: EventRecordKind, fields?: EventFields): number;
  setMediaState(state: MediaState): void;
  /** Add corrected errors; crossing an enabled alert threshold logs a Memory Module record (Warning log). */
  injectCorrectedVolatileErrors(count: number): void;
  injectCorrectedPersistentErrors(count: number): void;
  /** Change health values (life used, temperature, health status bits...); alerts as above. */
  setHealth(values: Partial<HealthState>): void;
  /** Override Health Info Media Status (0..9), or null to derive it from the media state. */
  setHealthMediaStatus(status: number | null): void;
  setFatal(on: boolean): void;
  setFwHalt(on: boolean): void;
  /** Reset Needed field of Memory Device Status (0 none, 1 cold, 2 warm, 3 hot, 4 CXL). */
  setResetNeeded(kind: number): void;
  setMailboxReady(ready: boolean): void;
}

const SEVERITY_OF_LOG = [0, 1, 2, 3, 0];

export function buildEventRecord(dev: Type3State, log: number, kind: EventRecordKind, f: EventFields): Uint8Array {
  const rec = new Uint8Array(EVENT_RECORD_SIZE);
  EventRecordHeader.encodeInto(rec, {
    uuid: uuidBytes(EVENT_RECORD_UUID[kind]),
    flags: f.flags ?? SEVERITY_OF_LOG[log] ?? 0,
  });
  const media = {
    physicalAddress: (Math.floor((f.dpa ?? 0) / 64) * 64) | (f.volatile ? 1 : 0),
    descriptor: f.descriptor ?? 0,
    type: f.type ?? 0,
    transactionType: f.transactionType ?? 0,
    validityFlags: f.validityFlags ?? 0,
    channel: f.channel ?? 0,
    rank: f.rank ?? 0,
  };
  if (kind === 'general-media') {
    GeneralMediaBody.encodeInto(rec, { ...media, device: f.device ?? 0, componentId: f.componentId ?? new Uint8Array(16) });
  } else if (kind === 'dram') {
    DramBody.encodeInto(rec, {
      ...media,
      nibbleMask: f.nibbleMask ?? 0,
      bankGroup: f.bankGroup ?? 0,
      bank: f.bank ?? 0,
      row: f.row ?? 0,
      column: f.column ?? 0,
      correctionMask: f.correctionMask ?? new Uint8Array(32),
    });
  } else {
    MemoryModuleBody.encodeInto(rec, { eventType: f.eventType ?? 0, healthInfo: encodeHealthInfo(dev) });
  }
  return rec;
}

const count = (n: number) => Math.max(0, Math.min(0xffff_ffff, Math.floor(n)));

/** Memory Module Device Event Types (CXL 2.0 8.2.9.1.1.3). */
const MODULE_EVENT = { healthStatusChange: 0, lifeUsedChange: 2, temperatureChange: 3 } as const;

/**
 * Apply a health change; when it newly raises a warning or critical level in Additional Status (an enabled alert
 * crossing its threshold, CXL 2.0 8.2.9.5.3.3), log a Memory Module record in the Warning log.
 */
function changeHealth(dev: Type3State, change: () => void): void {
  const before = encodeHealthInfo(dev)[2];
  change();
  const after = encodeHealthInfo(dev)[2];
  const rose = (shift: number, mask: number) => ((after >> shift) & mask) > ((before >> shift) & mask);
  const eventType = rose(0, 3)
    ? MODULE_EVENT.lifeUsedChange
    : rose(2, 3)
      ? MODULE_EVENT.temperatureChange
      : rose(4, 1) || rose(5, 1)
        ? MODULE_EVENT.healthStatusChange
        : null;
  if (eventType !== null) dev.logEvent(EVENT_LOG.warning, buildEventRecord(dev, EVENT_LOG.warning, 'memory-module', { eventType }));
}

export function createInjection(dev: Type3State): Type3Injection {
  return {
    injectPoison: (dpa, length, source = 'internal') => dev.poison.add(dpa, length, source, dev.timestamp()),
    clearPoison: (dpa, length) => dev.poison.remove(dpa, length),
    injectEvent(log, kind, fields = {}) {
      const index = typeof log === 'number' ? log : EVENT_LOG[log];
      return dev.logEvent(index, buildEventRecord(dev, index, kind, fields));
    },
    setMediaState: (state) => {
      dev.mediaState = state;
    },
    injectCorrectedVolatileErrors: (n) =>
      changeHealth(dev, () => {
        dev.health.correctedVolatileErrors = count(dev.health.correctedVolatileErrors + n);
      }),
    injectCorrectedPersistentErrors: (n) =>
      changeHealth(dev, () => {
        dev.health.correctedPersistentErrors = count(dev.health.correctedPersistentErrors + n);
      }),
    setHealth: (values) =>
      changeHealth(dev, () => {
        dev.health = { ...dev.health, ...values };
      }),
    setHealthMediaStatus: (status) => {
      dev.healthMediaStatus = status;
    },
    setFatal: (on) => {
      dev.fatal = on;
    },
    setFwHalt: (on) => {
      dev.fwHalt = on;
    },
    setResetNeeded: (kind) => {
      dev.resetNeeded = kind & 0x7;
    },
    setMailboxReady: (ready) => {
      dev.mailboxReady = ready;
    },
  };
}
