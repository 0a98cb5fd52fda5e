// The device's event logs (CXL 2.0 8.2.9.1): Informational 0, Warning 1, Failure 2, Fatal 3, and (r3.0+) Dynamic
// Capacity 4. Each log holds a bounded number of records; when full, new records are counted as overflow with
// first/last overflow timestamps (CXL 2.0 8.2.9.1.2). Handles are per log, nonzero, assigned in arrival order.

import { EVENT_RECORD_SIZE, EventRecordHeader } from '../payloads.js';

export const EVENT_LOG = { informational: 0, warning: 1, failure: 2, fatal: 3, dynamicCapacity: 4 } as const;
export type EventLogName = keyof typeof EVENT_LOG;
export const EVENT_LOG_COUNT = 5;
/** Records each log holds before it overflows (reported by Identify Memory Device). */
export const EVENT_LOG_CAPACITY = 16;

export interface StoredEvent {
  handle: number;
  /** The full 0x80-byte record, handle and timestamp already filled in. */
  bytes: Uint8Array;
}

export interface OverflowState {
  count: number;
  first: bigint;
  last: bigint;
}

export class EventLog {
  readonly records: StoredEvent[] = [];
  overflow: OverflowState | null = null;
  private nextHandle = 1;

  constructor(readonly capacity: number) {}

  /** Append a record; returns its handle, or 0 when the log is full and the record became overflow. */
  add(record: Uint8Array, timestamp: bigint): number {
    if (this.records.length >= this.capacity) {
      if (this.overflow === null) this.overflow = { count: 0, first: timestamp, last: timestamp };
      this.overflow.count = Math.min(0xffff, this.overflow.count + 1);
      this.overflow.last = timestamp;
      return 0;
    }
    const handle = this.takeHandle();
    const bytes = new Uint8Array(EVENT_RECORD_SIZE);
    bytes.set(record.subarray(0, EVENT_RECORD_SIZE));
    EventRecordHeader.encodeInto(bytes, { length: EVENT_RECORD_SIZE, handle, timestamp });
    this.records.push({ handle, bytes });
    return handle;
  }

  /**
   * Clear by handles, which must name the oldest records in order (CXL 2.0 8.2.9.1.3). Returns false (nothing
   * cleared) if they do not.
   */
  clearHandles(handles: readonly number[]): boolean {
    if (handles.length > this.records.length) return false;
    for (let i = 0; i < handles.length; i++) if (this.records[i].handle !== handles[i]) return false;
    this.records.splice(0, handles.length);
    if (this.records.length === 0) this.overflow = null;
    return true;
  }

  clearAll(): void {
    this.records.length = 0;
    this.overflow = null;
  }

  private takeHandle(): number {
    // Handles are 16-bit and never 0; skip any still held by a stored record after wrap-around.
    for (;;) {
      const h = this.nextHandle;
      this.nextHandle = h === 0xffff ? 1 : h + 1;
      if (!this.records.some((r) => r.handle === h)) return h;
    }
  }
}

export class EventLogs {
  readonly logs: EventLog[] = Array.from({ length: EVENT_LOG_COUNT }, () => new EventLog(EVENT_LOG_CAPACITY));

  /** Event Status register bits (CXL 2.0 8.2.8.3.1): bit n set while log n holds records. */
  status(): number {
    let bits = 0;
    this.logs.forEach((log, i) => {
      if (log.records.length > 0) bits |= 1 << i;
    });
    return bits;
  }

  clearAll(): void {
    for (const log of this.logs) log.clearAll();
  }
}
