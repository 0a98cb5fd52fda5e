// Fault and event injection on a live bench's Type 3 devices (inject.* calls, `cxl-bench inject`): the
// emulator's QMP-like injection API (emulator/mailbox/inject.ts, as QEMU's cxl-inject-* commands) and the RAS
// model (createType3 injectRas). Each injection is checked the way the device would see it, recorded as
// an info step in the console run's trace and logged; the result says what changed.

import { POISON_GRANULE } from '../../emulator/mailbox/state/poison-list.js';
import type { Type3Backend } from '../../emulator/mailbox/index.js';
import { ApiError } from '../api/api-error.js';
import type { InjectEventKind, InjectEventLog, InjectMediaState, InjectResult, LiveDeviceState } from '../api/contract-live.js';
import type { LivePlatform } from './live-platform.js';

const hex = (n: number): string => '0x' + n.toString(16);

/** The device's standard backend (a test may have swapped in another MailboxBackend: then no injection API). */
function backendOf(live: LivePlatform, node: string): Type3Backend {
  const be = live.type3Node(node).type3.backend as Partial<Type3Backend>;
  if (!be.inject || !be.device) throw new ApiError('conflict', `${node}: its mailbox backend has no injection API`, 'node');
  return be as Type3Backend;
}

function done(live: LivePlatform, node: string, name: string, effect: string, evidence?: string): InjectResult {
  const log = live.note('info', `${node}: ${effect}`, { name: `${node} ${name}`, ...(evidence ? { evidence } : {}) });
  return { ok: true, effect, log };
}

/** Poison [dpa, dpa+length) of a device: 64-byte lines inside its capacity (CXL 2.0 8.2.9.5.4.2). */
export function injectPoison(live: LivePlatform, node: string, dpa: number, length = POISON_GRANULE): InjectResult {
  const be = backendOf(live, node);
  if (dpa % POISON_GRANULE !== 0) throw new ApiError('bad-input', `dpa ${hex(dpa)} is not 64-byte aligned`, 'dpa');
  if (length <= 0 || length % POISON_GRANULE !== 0) throw new ApiError('bad-input', `length ${length} is not a positive multiple of 64`, 'length');
  const total = be.device.totalBytes;
  if (dpa + length > total) throw new ApiError('bad-input', `DPA ${hex(dpa)} +${length} is beyond the device's ${hex(total)} bytes`, 'dpa');
  const before = be.poison.size;
  be.inject.injectPoison(dpa, length);
  return done(live, node, 'inject poison', `poisoned DPA ${hex(dpa)} +${length} (poison list ${before} -> ${be.poison.size} records)`);
}

/** Append an event record to a log (CXL 2.0 8.2.9.1); handle 0 means the log overflowed. */
export function injectEvent(
  live: LivePlatform,
  node: string,
  log: InjectEventLog,
  kind: InjectEventKind,
  fields: { dpa?: number; flags?: number; eventType?: number },
): InjectResult {
  const be = backendOf(live, node);
  if (fields.dpa !== undefined && fields.dpa % POISON_GRANULE !== 0) throw new ApiError('bad-input', `dpa ${hex(fields.dpa)} is not 64-byte aligned`, 'dpa');
  const handle = be.inject.injectEvent(log, kind, {
    ...(fields.dpa !== undefined ? { dpa: fields.dpa } : {}),
    ...(fields.flags !== undefined ? { flags: fields.flags } : {}),
    ...(fields.eventType !== undefined ? { eventType: fields.eventType } : {}),
  });
  const effect = handle === 0 ? `${kind} record into the ${log} log: the log overflowed` : `${kind} record into the ${log} log (handle ${handle})`;
  return done(live, node, 'inject event', effect, `Event Status = ${hex(be.eventStatus())}`);
}

/**
 * Detect RAS errors (CXL 2.0 8.2.5.9) as the device would. Masked errors are not recorded (8.2.5.9.2/5) and the
 * masks reset to all ones, so on a platform no driver has set up every error is masked: the result says so,
 * and `unmask` clears the requested mask bits first (as Linux or firmware would).
 */
export function injectRas(live: LivePlatform, node: string, kind: 'uncorrectable' | 'correctable', bits: number, unmask = false): InjectResult {
  const dev = live.type3Node(node).type3;
  const r = dev.injectRas(kind, bits, { unmask });
  if (r.requested === 0) throw new ApiError('bad-input', `bits ${hex(bits)} name no defined ${kind} error status bit`, 'bits');
  const mask = kind === 'uncorrectable' ? 'Uncorrectable Error Mask' : 'Correctable Error Mask';
  const parts = [
    ...(r.unmasked !== 0 ? [`unmasked ${hex(r.unmasked)} in the ${mask} register`] : []),
    ...(r.set !== 0 ? [`${kind} error status bits ${hex(r.set)} set`] : []),
    ...(r.masked !== 0 ? [`${kind} error bits ${hex(r.masked)} masked by the ${mask} register: not recorded (unmask them to inject)`] : []),
  ];
  const result = done(live, node, 'inject ras', parts.join('; '));
  return { ...result, ras: { set: hex(r.set), masked: hex(r.masked), unmasked: hex(r.unmasked) } };
}

/** Media state as Memory Device Status and the mailbox report it (CXL 2.0 8.2.8.5.1). */
export function injectMedia(live: LivePlatform, node: string, state: InjectMediaState): InjectResult {
  const be = backendOf(live, node);
  const before = be.device.effectiveMediaState();
  be.inject.setMediaState(state);
  return done(live, node, 'inject media', `media state ${before} -> ${be.device.effectiveMediaState()}`);
}

const LOG_NAMES: readonly InjectEventLog[] = ['informational', 'warning', 'failure', 'fatal'];
const hex8 = (n: number): string => '0x' + (n >>> 0).toString(16).padStart(8, '0');

/** The device's state straight from the model (no access is traced: this is the bench's view, not the host's). */
export function deviceState(live: LivePlatform, node: string): LiveDeviceState {
  const dev = live.type3Node(node).type3;
  const be = backendOf(live, node);
  const st = be.state();
  const ras = dev.block('cxl-ras', 'bar0');
  const perLog = <T>(xs: readonly T[]): Record<InjectEventLog, T> => Object.fromEntries(LOG_NAMES.map((n, i) => [n, xs[i]!])) as Record<InjectEventLog, T>;
  return {
    node,
    mediaState: st.mediaState,
    volatileBytes: st.volatileBytes,
    persistentBytes: st.persistentBytes,
    lsaBytes: st.lsaBytes,
    poisonRecords: st.poisonRecords,
    poisonOverflow: st.poisonOverflow,
    eventCounts: perLog(st.eventCounts),
    eventOverflow: perLog(st.eventOverflow),
    background: { running: st.background.running, opcode: st.background.opcode, percent: st.background.percent, returnCode: st.background.rc },
    // CXL 2.0 8.2.5.9: Uncorrectable Error Status at +0x0, Correctable Error Status at +0xC of the RAS capability.
    rasUncorrectable: hex8(ras ? ras.get(0x00, 4) : 0),
    rasCorrectable: hex8(ras ? ras.get(0x0c, 4) : 0),
    timestampNs: Number(st.timestampNs),
  };
}
