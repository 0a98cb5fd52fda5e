// API types the UI work of issue 15 added: run deletion and chunked transfers (imports and exports of any size).
// Types only (the renderer imports them); the handlers are in calls-ui.ts and calls-transfer.ts.

import type { Run, Session, TraceExportFormat, TraceImportFormat } from './contract.js';

/** A transfer in progress: an upload being assembled, or an export being read back in chunks. */
export interface TransferInfo {
  id: string;
  /** Bytes received (upload) or the file's size (download). */
  bytes: number;
  /** Upload: the size announced at begin; download: the same as bytes. */
  total: number;
}

export interface TransferChunk {
  /** Base64 of the bytes [offset, offset + n). */
  data: string;
  offset: number;
  /** True when this chunk reaches the end of the file. */
  done: boolean;
}

/** What an assembled upload becomes. */
export type TransferTarget =
  | { kind: 'trace'; sessionId: number; format: TraceImportFormat; topology?: string; cxlOnly?: boolean }
  | { kind: 'session' };

/** Progress of an import being parsed and stored (pushed as 'transfer.progress' events too). */
export interface ImportProgress {
  id: string;
  phase: 'upload' | 'parse' | 'store' | 'done' | 'error' | 'cancelled';
  /** Bytes of the file handled so far and its size. */
  done: number;
  total: number;
  events: number;
  message?: string;
  run?: Run;
  sessions?: Session[];
}

/** One lane of a timeline: a node's accesses in one space ('cfg', 'mmio', 'mem'), or its 'mailbox' commands. */
export interface TimelineLane {
  node: string;
  space: string;
  /** Events per bucket, and how many of them were writes. */
  counts: number[];
  writes: number[];
}

/** trace.timeline: a run's events bucketed over [fromNs, toNs] (issue 15, Timeline view). */
export interface TraceTimeline {
  runId: number;
  /** The whole run's extent, and the range bucketed. */
  startNs: number;
  endNs: number;
  fromNs: number;
  toNs: number;
  buckets: number;
  lanes: TimelineLane[];
  /** First event seq in each bucket (-1: none), to move the trace table to a clicked time. */
  firstSeq: number[];
  /** Steps as spans: from the previous step (or the run's start) to the step. */
  steps: { name: string; verdict: string; seq: number; startNs: number; endNs: number }[];
  /** Events counted in the range. */
  events: number;
}

export interface UiApiCalls {
  /** A run's events over time, per node and space, with its steps as spans (the Timeline view). */
  'trace.timeline': [{ runId: number; buckets?: number; fromNs?: number; toNs?: number }, TraceTimeline];
  /** Delete a finished run with its trace, steps, logs and comparisons ('conflict' while it runs or is a live console). */
  'runs.delete': [{ id: number }, { deleted: true }];
  /** Start an upload of `total` bytes (the file's name is only shown). */
  'transfer.begin': [{ name: string; total: number }, TransferInfo];
  /** Append the next chunk (base64, at most 4 MiB decoded) at `offset` (must equal the bytes received so far). */
  'transfer.append': [{ id: string; offset: number; data: string }, TransferInfo];
  /** Finish an upload: import it as a trace or a session; progress arrives as 'transfer.progress' events. */
  'transfer.finish': [{ id: string; target: TransferTarget }, ImportProgress];
  /** Cancel an upload or an import still running; what was stored of it is removed. */
  'transfer.cancel': [{ id: string }, { cancelled: boolean }];
  /** Export a run's trace (or a session) to a file the browser then reads back in chunks (transfer.read). */
  'transfer.export': [{ runId?: number; sessionId?: number; format?: TraceExportFormat }, TransferInfo & { name: string }];
  /** Read `length` bytes (at most 4 MiB) of an export from `offset`; the file is removed after the last chunk. */
  'transfer.read': [{ id: string; offset: number; length: number }, TransferChunk];
}
