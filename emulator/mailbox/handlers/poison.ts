// Media and Poison Management 43xxh (CXL 2.0 8.2.9.5.4): poison list, inject, clear, and Scan Media as a
// background operation whose results are paged out by Get Scan Media Results.

import { dpa } from '../../../common/units.js';
import { concatBytes } from '../layout.js';
import {
  ClearPoisonIn,
  GeneralMediaBody,
  EventRecordHeader,
  GetPoisonListIn,
  GetPoisonListOut,
  GetScanMediaCapsOut,
  GetScanMediaResultsOut,
  InjectPoisonIn,
  MediaErrorRecord,
  POISON_FLAG_MORE,
  POISON_FLAG_OVERFLOW,
  POISON_FLAG_SCAN_IN_PROGRESS,
  SCAN_NO_EVENT_LOG,
  SCAN_RESULTS_MORE,
  SCAN_RESULTS_STOPPED_PREMATURELY,
  ScanMediaIn,
  ScanMediaRangeIn,
} from '../payloads.js';
import { OP } from '../opcodes.js';
import { RC } from '../return-codes.js';
import type { Type3State } from '../state/device-state.js';
import { EVENT_LOG } from '../state/event-logs.js';
import { POISON_GRANULE, POISON_SOURCE, type PoisonRange } from '../state/poison-list.js';
import { EVENT_RECORD_UUID, uuidBytes } from '../uuid.js';
import { fail, ok, started, type CommandContext, type Handler } from './context.js';

/** DPA[63:6]; bits 5:0 of an input address are reserved (source bits in output records). */
const ADDRESS_MASK = ~(POISON_GRANULE - 1);
const lineOf = (address: number) => Math.floor(address / POISON_GRANULE) * POISON_GRANULE;
/** Virtual scan speed: 1 ns per byte (1 GB/s). Get Scan Media Capabilities reports the same estimate. */
export const SCAN_NS_PER_BYTE = 1;

/** A range inside the device, or null. */
function checkRange(dev: Type3State, address: number, units: number): { start: number; bytes: number } | null {
  const start = lineOf(address);
  const bytes = units * POISON_GRANULE;
  if (!Number.isSafeInteger(bytes) || start + bytes > dev.totalBytes || start >= dev.totalBytes) return null;
  return { start, bytes };
}

const encodeRecord = (r: PoisonRange) =>
  MediaErrorRecord.encode({ address: r.dpa + POISON_SOURCE[r.source], length: r.length / POISON_GRANULE });

/** Get Poison List (CXL 2.0 8.2.9.5.4.1): repeated calls for the same range page on with the More flag. */
export const getPoisonList: Handler = ({ dev, payloadSize }, input) => {
  const { address, length } = GetPoisonListIn.decode(input);
  const range = checkRange(dev, address & ADDRESS_MASK, length);
  if (range === null) return fail(RC.invalidPhysicalAddress);
  if (range.bytes === 0) return fail(RC.invalidInput);
  const end = range.start + range.bytes;
  const matching = dev.poison.listed().filter((r) => r.dpa < end && r.dpa + r.length > range.start);
  const cur = dev.poisonCursor;
  const skip = cur !== null && cur.dpa === range.start && cur.length === range.bytes ? cur.returned : 0;
  const fit = Math.max(0, Math.floor((payloadSize - GetPoisonListOut.size) / MediaErrorRecord.size));
  const page = matching.slice(skip, skip + fit);
  const more = skip + page.length < matching.length;
  dev.poisonCursor = more ? { dpa: range.start, length: range.bytes, returned: skip + page.length } : null;
  const overflow = dev.poison.overflowTimestamp;
  const scanning = dev.background.runningOpcode === OP.scanMedia;
  const header = GetPoisonListOut.encode({
    flags:
      (more ? POISON_FLAG_MORE : 0) | (overflow !== null ? POISON_FLAG_OVERFLOW : 0) | (scanning ? POISON_FLAG_SCAN_IN_PROGRESS : 0),
    overflowTimestamp: overflow ?? 0n,
    recordCount: page.length,
  });
  return ok(concatBytes([header, ...page.map(encodeRecord)]));
};

/** Inject Poison (CXL 2.0 8.2.9.5.4.2): one 64-byte line, source Injected, up to the Identify limit. */
export const injectPoison: Handler = ({ dev }, input) => {
  const address = InjectPoisonIn.decode(input).address & ADDRESS_MASK;
  if (checkRange(dev, address, 1) === null) return fail(RC.invalidPhysicalAddress);
  if (dev.poison.overlaps(address, POISON_GRANULE)) return ok();
  const injected = dev.poison.all().filter((r) => r.source === 'injected').length;
  const limit = dev.profile.injectPoisonLimit;
  // With no limit, the list bound stops injection (as QEMU does at 256 records).
  if (injected >= (limit !== 0 ? limit : dev.poison.maxRecords)) return fail(RC.injectPoisonLimitReached);
  dev.poison.add(address, POISON_GRANULE, 'injected', dev.timestamp());
  return ok();
};

/** Clear Poison (CXL 2.0 8.2.9.5.4.3): the line is written with the given 64 bytes and leaves the list. */
export const clearPoison: Handler = ({ dev }, input) => {
  const { address, data } = ClearPoisonIn.decode(input);
  const line = address & ADDRESS_MASK;
  if (checkRange(dev, line, 1) === null) return fail(RC.invalidPhysicalAddress);
  dev.media.write(dpa(line), data);
  dev.poison.remove(line, POISON_GRANULE);
  return ok();
};

const estimateMs = (bytes: number) => Math.max(1, Math.ceil((bytes * SCAN_NS_PER_BYTE) / 1e6));

/** Get Scan Media Capabilities (CXL 2.0 8.2.9.5.4.4). */
export const getScanMediaCapabilities: Handler = ({ dev }, input) => {
  const { address, length } = ScanMediaRangeIn.decode(input);
  const range = checkRange(dev, address & ADDRESS_MASK, length);
  if (range === null) return fail(RC.invalidPhysicalAddress);
  return ok(GetScanMediaCapsOut.encode({ estimatedMs: estimateMs(range.bytes) }));
};

/** General Media record for poison found by a scan: uncorrectable, Media ECC Error, Host Scan Media. */
function scanEventRecord(r: PoisonRange, volatileBytes: number): Uint8Array {
  const rec = new Uint8Array(0x80);
  EventRecordHeader.encodeInto(rec, { uuid: uuidBytes(EVENT_RECORD_UUID['general-media']), flags: 2 /* failure */ });
  GeneralMediaBody.encodeInto(rec, {
    physicalAddress: r.dpa | (r.dpa < volatileBytes ? 1 : 0),
    descriptor: 1, // uncorrectable event
    type: 0, // media ECC error
    transactionType: 3, // host scan media
  });
  return rec;
}

/** Scan Media (CXL 2.0 8.2.9.5.4.5): background; finds every poisoned line in the range, listed or not. */
export const scanMedia: Handler = ({ dev }, input) => {
  const { address, length, flags } = ScanMediaIn.decode(input);
  const range = checkRange(dev, address & ADDRESS_MASK, length);
  if (range === null) return fail(RC.invalidPhysicalAddress);
  const durationNs = range.bytes * SCAN_NS_PER_BYTE;
  const finish = (scannedBytes: number, stopped: boolean) => {
    const found = dev.poison.within(range.start, scannedBytes);
    dev.scanResults = {
      records: found,
      cursor: 0,
      stoppedPrematurely: stopped,
      restartDpa: stopped ? range.start + scannedBytes : 0,
      restartLength: stopped ? (range.bytes - scannedBytes) / POISON_GRANULE : 0,
    };
    if (!(flags & SCAN_NO_EVENT_LOG)) for (const r of found) dev.logEvent(EVENT_LOG.failure, scanEventRecord(r, dev.volatileBytes));
  };
  dev.scanResults = null;
  dev.background.start({
    opcode: OP.scanMedia,
    durationNs,
    abortable: true,
    complete: () => {
      finish(range.bytes, false);
      return RC.success;
    },
    abort: (percent) => finish(lineOf((range.bytes * percent) / 100), true),
  });
  return started();
};

/** Get Scan Media Results (CXL 2.0 8.2.9.5.4.6): pages out what the last scan found. */
export const getScanMediaResults: Handler = ({ dev, payloadSize }: CommandContext) => {
  const res = dev.scanResults;
  if (res === null) return ok(GetScanMediaResultsOut.encode({}));
  const fit = Math.max(0, Math.floor((payloadSize - GetScanMediaResultsOut.size) / MediaErrorRecord.size));
  const page = res.records.slice(res.cursor, res.cursor + fit);
  res.cursor += page.length;
  const more = res.cursor < res.records.length;
  const header = GetScanMediaResultsOut.encode({
    restartAddress: res.restartDpa,
    restartLength: res.restartLength,
    flags: (more ? SCAN_RESULTS_MORE : 0) | (res.stoppedPrematurely ? SCAN_RESULTS_STOPPED_PREMATURELY : 0),
    recordCount: page.length,
  });
  return ok(concatBytes([header, ...page.map(encodeRecord)]));
};
