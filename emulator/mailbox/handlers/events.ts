// Events command set 01h (CXL 2.0 8.2.9.1).

import { concatBytes } from '../layout.js';
import {
  CLEAR_EVENTS_ALL,
  ClearEventRecordsIn,
  EVENT_FLAG_MORE,
  EVENT_FLAG_OVERFLOW,
  EVENT_RECORD_SIZE,
  GetEventRecordsIn,
  GetEventRecordsOut,
} from '../payloads.js';
import { RC } from '../return-codes.js';
import { fail, ok, type Handler } from './context.js';

/** Get Event Records (CXL 2.0 8.2.9.1.2): as many of the oldest records as fit in the payload. */
export const getEventRecords: Handler = ({ dev, payloadSize }, input) => {
  const { log } = GetEventRecordsIn.decode(input);
  const target = dev.events.logs[log];
  if (target === undefined) return fail(RC.invalidInput);
  const fit = Math.max(0, Math.floor((payloadSize - GetEventRecordsOut.size) / EVENT_RECORD_SIZE));
  const records = target.records.slice(0, fit);
  const overflow = target.overflow;
  const header = GetEventRecordsOut.encode({
    flags: (overflow ? EVENT_FLAG_OVERFLOW : 0) | (target.records.length > records.length ? EVENT_FLAG_MORE : 0),
    overflowErrorCount: overflow?.count ?? 0,
    firstOverflowTimestamp: overflow?.first ?? 0n,
    lastOverflowTimestamp: overflow?.last ?? 0n,
    recordCount: records.length,
  });
  return ok(concatBytes([header, ...records.map((r) => r.bytes)]));
};

/**
 * Clear Event Records (CXL 2.0 8.2.9.1.3): by handles, oldest first; or Clear All, which is only allowed once the
 * log has overflowed and must name no handles (Invalid Input otherwise).
 */
export const clearEventRecords: Handler = ({ dev }, input) => {
  const head = ClearEventRecordsIn.decode(input);
  const target = dev.events.logs[head.log];
  if (target === undefined) return fail(RC.invalidInput);
  if (input.length !== ClearEventRecordsIn.size + 2 * head.handleCount) return fail(RC.invalidPayloadLength);
  if (head.flags & CLEAR_EVENTS_ALL) {
    if (head.handleCount !== 0 || target.overflow === null) return fail(RC.invalidInput);
    target.clearAll();
    return ok();
  }
  const dv = new DataView(input.buffer, input.byteOffset, input.byteLength);
  const handles = Array.from({ length: head.handleCount }, (_, i) => dv.getUint16(ClearEventRecordsIn.size + 2 * i, true));
  return target.clearHandles(handles) ? ok() : fail(dev.profile.badHandleRc);
};

/** Interrupt mode [1:0]: 0 none, 1 MSI/MSI-X, 2 FW interrupt; 3 is reserved (CXL 2.0 8.2.9.1.4). */
const MODE_MASK = 0x3;
const MODE_RESERVED = 0x3;

/** Get Event Interrupt Policy (CXL 2.0 8.2.9.1.4); r3.x appends the Dynamic Capacity byte. */
export const getEventInterruptPolicy: Handler = ({ dev }) => ok(dev.interruptPolicy.slice());

/** Set Event Interrupt Policy (CXL 2.0 8.2.9.1.5): 4 bytes, or 5 with the r3.x Dynamic Capacity byte. */
export const setEventInterruptPolicy: Handler = ({ dev }, input) => {
  for (const b of input) if ((b & MODE_MASK) === MODE_RESERVED) return fail(RC.invalidInput);
  // Only the mode is host-written; the message number [7:4] is the device's: 0 (one shared vector) unless the
  // profile names a vector per log. QEMU reports any enabled log as MSI/MSI-X with its vector.
  const vectors = dev.profile.eventIrqVectors;
  for (let i = 0; i < input.length; i++) {
    const mode = input[i] & MODE_MASK;
    dev.interruptPolicy[i] = vectors === null ? mode : mode === 0 ? 0 : ((((vectors[i] ?? 0) & 0xf) << 4) | 1);
  }
  return ok();
};
