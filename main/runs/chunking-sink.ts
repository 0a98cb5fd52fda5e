// A TraceSink in front of the run's TraceBuffer that calls `onFull` every `every` events, so a run's trace is
// sealed into chunks of about that size (a chunk is the unit trace.page decodes) even while a sequence runs
// synchronously for a long time. One compare per event on the hot path.

import type { MailboxTraceRecord, StepTraceRecord, TraceSink } from '../../common/trace-sink.js';
import type { TraceBuffer } from '../../trace/trace-buffer.js';

export const CHUNK_EVENTS = 4096;

export class ChunkingSink implements TraceSink {
  private next: number;

  constructor(
    private readonly buf: TraceBuffer,
    private readonly onFull: () => void,
    private readonly every = CHUNK_EVENTS,
  ) {
    this.next = buf.count + every;
  }

  /** Call after sealing: the next chunk ends `every` events from now. */
  rearm(): void {
    this.next = this.buf.count + this.every;
  }

  nodeId(path: string): number {
    return this.buf.nodeId(path);
  }

  access(node: number, space: number, region: number, offset: number, width: number, op: number, lo: number, hi: number, status: number): void {
    this.buf.access(node, space, region, offset, width, op, lo, hi, status);
    if (this.buf.count >= this.next) this.onFull();
  }

  mailbox(node: number, rec: MailboxTraceRecord): void {
    this.buf.mailbox(node, rec);
    if (this.buf.count >= this.next) this.onFull();
  }

  step(rec: StepTraceRecord): void {
    this.buf.step(rec);
    if (this.buf.count >= this.next) this.onFull();
  }
}
