// The recording side of one run: the TraceBuffer, the chunking sink producers write to, the steps recorded so
// far, and the flush that seals a chunk and writes it with the pending steps in one transaction.
// Memory stays bounded (issue 16): once a chunk is stored its events leave the buffer, so a run holds about one
// chunk however long it runs (`retain` keeps them, for tests that read the buffer back).
// A write that fails (disk full, read-only, I/O error) ends the recording: the error is thrown to the producer
// (the sequence stops), `failure` keeps it, and later flushes write nothing — the store keeps a consistent
// prefix of the trace, up to `committed` events, never one with a gap.

import type { Clock } from '../../common/clock.js';
import type { StepTraceRecord, Verdict } from '../../common/trace-sink.js';
import { TraceBuffer } from '../../trace/trace-buffer.js';
import type { Step } from '../api/contract.js';
import type { RunTraceWriter } from '../store/trace-writer.js';
import { ChunkingSink, CHUNK_EVENTS } from './chunking-sink.js';

export interface RecorderOptions {
  /** Keep every event in `buffer` after it is stored (default false: stored events are dropped). */
  retain?: boolean;
  /** Called once when a write fails, before the error is thrown (the run stops its sequence). */
  onWriteFailed?: (e: unknown) => void;
}

export class RunRecorder {
  readonly buffer: TraceBuffer;
  readonly sink: ChunkingSink;
  readonly verdicts: Record<Verdict, number> = { pass: 0, warn: 0, fail: 0, info: 0 };
  private pending: Step[] = [];
  private stepSeq = 0;
  private failed: unknown;
  private hasFailed = false;

  constructor(
    clock: Clock,
    private readonly writer: RunTraceWriter,
    chunkEvents = CHUNK_EVENTS,
    private readonly opts: RecorderOptions = {},
  ) {
    this.buffer = new TraceBuffer(clock);
    this.sink = new ChunkingSink(this.buffer, () => this.flush(), chunkEvents);
  }

  /** Record a step in the trace stream and, with its trace position, for the steps table. */
  step(rec: StepTraceRecord): void {
    const eventSeq = this.buffer.count;
    this.sink.step(rec);
    this.verdicts[rec.verdict]++;
    this.pending.push({
      seq: this.stepSeq++,
      name: rec.name,
      verdict: rec.verdict,
      reason: rec.reason,
      evidence: rec.evidence ?? null,
      eventSeq,
    });
  }

  /** Seal what was recorded and write it with the pending steps (one transaction). */
  flush(): void {
    if (this.hasFailed) {
      // Nothing more is stored after a failed write; keep memory bounded while the producer winds down.
      this.buffer.sealChunk();
      this.buffer.dropSealed();
      this.pending = [];
      this.sink.rearm();
      return;
    }
    const chunk = this.buffer.sealChunk();
    const steps = this.pending;
    this.pending = [];
    try {
      this.writer.write({ chunks: chunk ? [chunk] : [], nodes: this.buffer.nodes, steps });
    } catch (e) {
      this.hasFailed = true;
      this.failed = e;
      this.buffer.dropSealed();
      this.sink.rearm();
      this.opts.onWriteFailed?.(e);
      throw e;
    }
    if (!this.opts.retain) this.buffer.dropSealed();
    this.sink.rearm();
  }

  get events(): number {
    return this.buffer.count;
  }

  /** Events stored so far (all of them after a successful final flush). */
  get committed(): number {
    return this.writer.committed;
  }

  /** The write error that ended the recording, if one did. */
  get failure(): unknown {
    return this.hasFailed ? this.failed : undefined;
  }
}
