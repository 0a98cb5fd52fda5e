// The recording side of one run: the TraceBuffer, the chunking sink producers write to, the steps recorded so
// far, and the flush that seals a chunk and writes it with the pending steps in one transaction.

import type { Clock } from '../../common/clock.js';
import type { StepTraceRecord, Verdict } from '../../common/trace-sink.js';
import { TraceBuffer } from '../../trace/trace-buffer.js';
import type { Step } from '../api/contract.js';
import type { RunTraceWriter } from '../store/trace-writer.js';
import { ChunkingSink, CHUNK_EVENTS } from './chunking-sink.js';

export class RunRecorder {
  readonly buffer: TraceBuffer;
  readonly sink: ChunkingSink;
  readonly verdicts: Record<Verdict, number> = { pass: 0, warn: 0, fail: 0, info: 0 };
  private pending: Step[] = [];
  private stepSeq = 0;

  constructor(
    clock: Clock,
    private readonly writer: RunTraceWriter,
    chunkEvents = CHUNK_EVENTS,
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
    const chunk = this.buffer.sealChunk();
    const steps = this.pending;
    this.pending = [];
    this.writer.write({ chunks: chunk ? [chunk] : [], nodes: this.buffer.nodes, steps });
    this.sink.rearm();
  }

  get events(): number {
    return this.buffer.count;
  }
}
