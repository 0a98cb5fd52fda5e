// A stored run's trace as a trace/ TraceSource (random access by seq), for compare and streaming export
// without loading the run at once. Decoded chunks are cached a few at a time (sources are read in order).
//
// It is also a ColumnarSource: `columns()` decodes the run once (chunk-codec.ts decodeChunkColumns, no object
// per event) into whole-run typed arrays laid out exactly as TraceBuffer.columns() lays out the same recorded
// events, so compare (trace/compare/normalise.ts runColumns) scans a stored run as fast as an in-memory one.
// Mailbox/step records are only located during the decode; `record(seq)` parses one when asked.

import { chunkRecordAt, decodeChunk, decodeChunkColumns, type ChunkColumns } from '../../trace/chunk-codec.js';
import type { ColumnarSource, MailboxEvent, StepEvent, TraceColumns, TraceEvent, TraceSource } from '../../trace/event.js';
import type { MailboxTraceRecord, StepTraceRecord } from '../../common/trace-sink.js';
import { KIND_STEP } from '../../trace/packed-codes.js';
import type { EventChunksRepo } from './event-chunks-repo.js';

/**
 * Where the records of a decoded run are: per record (in seq order, the n-th record being the row whose
 * valueLo is n, as in TraceBuffer), the chunk bytes holding it, its JSON's byte position there and its time.
 * Only chunks with records are kept; arrays grow by doubling (records are sparse).
 */
class RecordTable {
  /** Bytes of the chunks that hold records. */
  readonly chunks: Uint8Array[] = [];
  chunkOf = new Int32Array(64);
  at = new Int32Array(64);
  timeNs = new Float64Array(64);
  n = 0;

  add(chunk: number, at: number, timeNs: number): number {
    const i = this.n;
    if (i === this.at.length) {
      const grow = <T extends Int32Array | Float64Array>(a: T, make: (n: number) => T): T => {
        const b = make(a.length * 2);
        b.set(a);
        return b;
      };
      this.chunkOf = grow(this.chunkOf, (k) => new Int32Array(k));
      this.at = grow(this.at, (k) => new Int32Array(k));
      this.timeNs = grow(this.timeNs, (k) => new Float64Array(k));
    }
    this.chunkOf[i] = chunk;
    this.at[i] = at;
    this.timeNs[i] = timeNs;
    this.n = i + 1;
    return i;
  }
}

/** A stored run's columns (trace/event.ts TraceColumns, TraceBuffer's representation) plus its records. */
export class StoredColumns implements TraceColumns {
  constructor(
    readonly count: number,
    readonly nodes: readonly string[],
    readonly node: Uint16Array,
    readonly code: Uint16Array,
    readonly offset: Float64Array,
    readonly valueLo: Uint32Array,
    readonly valueHi: Uint32Array,
    private readonly records: RecordTable,
  ) {}

  /** The mailbox/step event at `seq` (a kind != 0 row), as events(seq, seq + 1) gives it; parsed now. */
  record(seq: number): MailboxEvent | StepEvent {
    const r = this.records;
    const k = this.valueLo[seq];
    const rec = chunkRecordAt(r.chunks[r.chunkOf[k]], r.at[k]);
    const timeNs = r.timeNs[k];
    if ((this.code[seq] & 3) === KIND_STEP) return { kind: 'step', seq, timeNs, ...(rec as StepTraceRecord) };
    return { kind: 'mailbox', seq, timeNs, node: this.nodes[this.node[seq]], ...(rec as MailboxTraceRecord) };
  }
}

export class StoredTraceSource implements TraceSource, ColumnarSource {
  private readonly nodes: string[];
  private cached: { firstSeq: number; events: TraceEvent[] } | null = null;

  constructor(
    private readonly chunks: EventChunksRepo,
    private readonly runId: number,
    readonly count: number,
  ) {
    this.nodes = chunks.nodes(runId);
  }

  events(from: number, to: number): TraceEvent[] {
    const lo = Math.max(0, from);
    const hi = Math.min(this.count, to);
    if (hi <= lo) return [];
    const c = this.cached;
    if (c && lo >= c.firstSeq && hi <= c.firstSeq + c.events.length) return c.events.slice(lo - c.firstSeq, hi - c.firstSeq);
    const out: TraceEvent[] = [];
    for (const chunk of this.chunks.range(this.runId, lo, hi)) {
      const evs = decodeChunk(chunk.bytes, this.nodes, chunk.firstSeq);
      this.cached = { firstSeq: chunk.firstSeq, events: evs };
      const a = Math.max(0, lo - chunk.firstSeq);
      const b = Math.min(chunk.count, hi - chunk.firstSeq);
      for (let i = a; i < b; i++) out.push(evs[i]);
    }
    return out;
  }

  /**
   * The run's first `count` events as columns (~20 bytes per event), decoded anew on each call and not kept
   * by the source (a comparison result holds its sources for hunks; it should not hold whole-run columns).
   * Throws, as events() does, when a chunk is corrupt, and when the stored chunks do not hold `count`
   * consecutive events.
   */
  columns(): StoredColumns {
    const n = this.count;
    const node = new Uint16Array(n);
    const code = new Uint16Array(n);
    const offset = new Float64Array(n);
    const valueLo = new Uint32Array(n);
    const valueHi = new Uint32Array(n);
    const records = new RecordTable();
    let cols: ChunkColumns | undefined;
    let next = 0;
    for (const chunk of this.chunks.all(this.runId)) {
      if (next >= n) break;
      if (chunk.firstSeq !== next) throw new Error(`run ${this.runId}: chunk at seq ${chunk.firstSeq} where seq ${next} was expected`);
      cols = decodeChunkColumns(chunk.bytes, this.nodes.length, chunk.firstSeq, cols);
      const m = Math.min(cols.count, n - next);
      // Same-kind copies; Int32 → Uint16 wraps a step's node -1 to 0xffff (set to 0 below, as TraceBuffer has it).
      node.set(cols.node.subarray(0, m), next);
      code.set(cols.code.subarray(0, m), next);
      offset.set(cols.offset.subarray(0, m), next);
      valueLo.set(cols.valueLo.subarray(0, m), next);
      valueHi.set(cols.valueHi.subarray(0, m), next);
      // Record rows: valueLo is the record's index (TraceBuffer's side list), the bytes kept for record().
      const cc = cols.code;
      let kept = -1;
      for (let i = 0; i < m; i++) {
        const c = cc[i];
        if ((c & 3) === 0) continue;
        if (kept < 0) {
          kept = records.chunks.length;
          records.chunks.push(chunk.bytes);
        }
        if (c === KIND_STEP) node[next + i] = 0;
        valueLo[next + i] = records.add(kept, cols.recordAt[i], cols.timeNs[i]);
      }
      next += m;
    }
    if (next < n) throw new Error(`run ${this.runId}: stored chunks hold ${next} events, ${n} expected`);
    return new StoredColumns(n, this.nodes, node, code, offset, valueLo, valueHi, records);
  }
}
