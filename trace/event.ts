// The object form of a trace event (DESIGN.md section 5): what decode, compare, the formats, the store and the
// UI work with. The recording hot path never builds these — TraceBuffer keeps packed columns and materialises
// objects only when asked (`events(from, to)`, `decodeChunk`).

import type { AccessOp, AccessStatus, Region, Space, Width } from '../common/access.js';
import type { MailboxTraceRecord, StepTraceRecord } from '../common/trace-sink.js';

interface EventBase {
  /** Position in the run's event stream, from 0, dense. */
  seq: number;
  /** Nanoseconds from run start (virtual or wall). */
  timeNs: number;
}

/** One register or memory access as the target served it. */
export interface AccessEvent extends EventBase {
  kind: 'access';
  /** Topology path, e.g. "hb0.rp0.ep0". */
  node: string;
  space: Space;
  region: Region;
  /** Byte offset within the region (the HPA for region 'hpa'). */
  offset: number;
  width: Width;
  op: AccessOp;
  value: bigint;
  status: AccessStatus;
}

/** A mailbox command as the host issued it and the device answered. */
export interface MailboxEvent extends EventBase, MailboxTraceRecord {
  kind: 'mailbox';
  node: string;
}

/** A host sequence step with its verdict. */
export interface StepEvent extends EventBase, StepTraceRecord {
  kind: 'step';
}

export type TraceEvent = AccessEvent | MailboxEvent | StepEvent;
export type TraceEventKind = TraceEvent['kind'];

/** A sealed run of consecutive events in the compact binary form of chunk-codec.ts. */
export interface EncodedChunk {
  /** seq of the first event; the others follow densely. */
  firstSeq: number;
  count: number;
  bytes: Uint8Array;
}

/**
 * Random access to a stored or in-memory trace, for compare and export without loading everything at once.
 * `events(from, to)` returns the events with seq in [from, to) (half-open), in order.
 */
export interface TraceSource {
  readonly count: number;
  events(from: number, to: number): TraceEvent[];
}

/**
 * The packed columns of an in-memory trace (TraceBuffer), for consumers that scan millions of events
 * without materialising objects. Codes as in trace/packed-codes.ts; kind != 0 rows are mailbox/step records
 * to be read through `events(seq, seq + 1)`.
 */
export interface TraceColumns {
  count: number;
  nodes: readonly string[];
  node: Uint16Array;
  code: Uint16Array;
  offset: Float64Array;
  valueLo: Uint32Array;
  valueHi: Uint32Array;
}

/** A TraceSource that can also hand out its columns (compare uses them when present). */
export interface ColumnarSource extends TraceSource {
  columns(): TraceColumns;
}

export const isColumnar = (s: TraceSource): s is ColumnarSource => typeof (s as Partial<ColumnarSource>).columns === 'function';

/** A source over a plain array (seq taken from position). */
export const arraySource = (evs: readonly TraceEvent[]): TraceSource => ({
  count: evs.length,
  events: (from, to) => evs.slice(from, to),
});

/** Iterate a source in pages (streaming export of 1 M events without one giant array). */
export function* iterateSource(src: TraceSource, pageSize = 4096): Generator<TraceEvent> {
  for (let i = 0; i < src.count; i += pageSize) yield* src.events(i, Math.min(src.count, i + pageSize));
}

/** "0x" + width*2 hex digits, the API's value format (main/api/contract.ts TraceRow.value). */
export const formatValue = (value: bigint, width: number): string =>
  '0x' + value.toString(16).padStart(width * 2, '0');
