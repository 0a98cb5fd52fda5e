// The packed in-memory trace (DESIGN.md 5): the TraceSink every producer writes to during a run. Accesses go
// into columnar typed arrays that grow by doubling, so recording allocates nothing per event; mailbox and step
// records (rare) are kept aside in a list, their row's valueLo holding the index. `sealChunk` hands the store
// everything since the last seal in the chunk-codec.ts form; `events(from, to)` materialises objects for
// in-memory use (compare, export, the UI). A run that stores its chunks calls `dropSealed` after each write, so
// its memory stays at about one chunk however long it runs (issue 16: ~32 B per event otherwise).

import { OPS, REGIONS, SPACES, STATUSES, type Width } from '../common/access.js';
import type { Clock } from '../common/clock.js';
import type { MailboxTraceRecord, StepTraceRecord, TraceSink } from '../common/trace-sink.js';
import { ChunkEncoder } from './chunk-codec.js';
import type { ColumnarSource, EncodedChunk, MailboxEvent, StepEvent, TraceColumns, TraceEvent } from './event.js';
import { KIND_ACCESS, KIND_MAILBOX, KIND_STEP, packAccess } from './packed-codes.js';

const INITIAL_CAPACITY = 1024;
// Module-local aliases: hot loops then read plain bindings (some loaders compile imports into getters).
const SPACE_LIST = SPACES;
const REGION_LIST = REGIONS;
const OP_LIST = OPS;
const STATUS_LIST = STATUSES;
const pack = packAccess;
const KIND_ACCESS_CODE = KIND_ACCESS;

/**
 * TraceBuffer's columns plus its mailbox/step records by seq (rows with kind != 0), so a scan over the columns
 * (compare's normaliser) reads a record's fields without materialising it through `events(seq, seq + 1)`.
 */
export interface BufferColumns extends TraceColumns {
  /** The record at `seq` (a kind != 0 row). Treat as read-only: it is not a copy. */
  record(seq: number): MailboxEvent | StepEvent;
}

interface SideRecord {
  node: number;
  mailbox?: MailboxTraceRecord;
  step?: StepTraceRecord;
}

export class TraceBuffer implements TraceSink, ColumnarSource {
  private cap = INITIAL_CAPACITY;
  private time = new Float64Array(INITIAL_CAPACITY);
  private node = new Uint16Array(INITIAL_CAPACITY);
  private code = new Uint16Array(INITIAL_CAPACITY);
  /** Float64 so HPAs (region 'hpa') above 4 GiB fit. */
  private offset = new Float64Array(INITIAL_CAPACITY);
  private valueLo = new Uint32Array(INITIAL_CAPACITY);
  private valueHi = new Uint32Array(INITIAL_CAPACITY);
  /** Mailbox/step records; a record row's valueLo is its index here (no Map lookup by seq). */
  private side: SideRecord[] = [];
  private readonly nodeIds = new Map<string, number>();
  private readonly nodeList: string[] = [];
  /** Rows held in the arrays; row r is event seq `base + r`. */
  private n = 0;
  /** seq of row 0: events before it were sealed and dropped (dropSealed). */
  private base = 0;
  /** seq of the first event not yet sealed. */
  private sealed = 0;

  constructor(private readonly clock: Clock) {}

  /** Number of events recorded (the next event's seq), dropped ones included. */
  get count(): number {
    return this.base + this.n;
  }

  /** Rows the arrays can hold before they grow (what a long run's memory is made of). */
  get capacity(): number {
    return this.cap;
  }

  /** seq of the first event still held (0 unless dropSealed dropped some). */
  get firstHeld(): number {
    return this.base;
  }

  /** Node id → topology path. */
  get nodes(): readonly string[] {
    return this.nodeList;
  }

  /** seq of the first event not yet returned by sealChunk. */
  get sealedUpTo(): number {
    return this.sealed;
  }

  nodeId(path: string): number {
    let id = this.nodeIds.get(path);
    if (id === undefined) {
      id = this.nodeList.length;
      this.nodeList.push(path);
      this.nodeIds.set(path, id);
    }
    return id;
  }

  private grow(): void {
    this.resize(this.cap * 2);
  }

  /** New arrays of `cap` rows holding the first min(n, cap) rows. */
  private resize(cap: number): void {
    const keep = (a: Float64Array | Uint16Array | Uint32Array) => a.subarray(0, Math.min(this.n, cap));
    const t = new Float64Array(cap);
    t.set(keep(this.time));
    this.time = t;
    const nd = new Uint16Array(cap);
    nd.set(keep(this.node));
    this.node = nd;
    const c = new Uint16Array(cap);
    c.set(keep(this.code));
    this.code = c;
    const o = new Float64Array(cap);
    o.set(keep(this.offset));
    this.offset = o;
    const lo = new Uint32Array(cap);
    lo.set(keep(this.valueLo));
    this.valueLo = lo;
    const hi = new Uint32Array(cap);
    hi.set(keep(this.valueHi));
    this.valueHi = hi;
    this.cap = cap;
  }

  access(
    node: number,
    spaceCode: number,
    regionCode: number,
    offset: number,
    width: number,
    opCode: number,
    valueLo: number,
    valueHi: number,
    statusCode: number,
  ): void {
    const i = this.n;
    if (i === this.cap) this.grow();
    this.time[i] = this.clock.now();
    this.node[i] = node;
    this.code[i] = pack(spaceCode, regionCode, opCode, statusCode, width);
    this.offset[i] = offset;
    this.valueLo[i] = valueLo;
    this.valueHi[i] = valueHi;
    this.n = i + 1;
  }

  mailbox(node: number, rec: MailboxTraceRecord): void {
    this.record(KIND_MAILBOX, node, { node, mailbox: { ...rec } });
  }

  step(rec: StepTraceRecord): void {
    this.record(KIND_STEP, 0, { node: -1, step: { ...rec } });
  }

  private record(kind: number, node: number, rec: SideRecord): void {
    const i = this.n;
    if (i === this.cap) this.grow();
    this.time[i] = this.clock.now();
    this.node[i] = node;
    this.code[i] = kind;
    this.offset[i] = 0;
    this.valueLo[i] = this.side.length;
    this.valueHi[i] = 0;
    this.side.push(rec);
    this.n = i + 1;
  }

  /** Everything recorded since the last seal, encoded; null when nothing new. */
  sealChunk(): EncodedChunk | null {
    const from = this.sealed;
    const to = this.base + this.n;
    if (to === from) return null;
    const enc = new ChunkEncoder(to - from);
    for (let i = from - this.base; i < this.n; i++) {
      const c = this.code[i];
      if ((c & 3) === KIND_ACCESS_CODE) enc.access(this.time[i], this.node[i], c, this.offset[i], this.valueLo[i], this.valueHi[i]);
      else {
        const rec = this.side[this.valueLo[i]];
        if (rec.mailbox) enc.mailbox(this.time[i], rec.node, rec.mailbox);
        else enc.step(this.time[i], rec.step!);
      }
    }
    this.sealed = to;
    return { firstSeq: from, count: to - from, bytes: enc.finish() };
  }

  /**
   * Forget every sealed event (the caller has stored them): the rows not yet sealed move to the front and the
   * arrays shrink back when they had grown past what is left. `count` and seq numbers are unchanged; `events`
   * and `columns` then cover only what is still held.
   */
  dropSealed(): void {
    const drop = this.sealed - this.base;
    if (drop === 0) return;
    const keep = this.n - drop;
    const side: SideRecord[] = [];
    for (let r = 0; r < keep; r++) {
      const from = r + drop;
      this.time[r] = this.time[from];
      this.node[r] = this.node[from];
      this.code[r] = this.code[from];
      this.offset[r] = this.offset[from];
      this.valueHi[r] = this.valueHi[from];
      if ((this.code[from] & 3) !== KIND_ACCESS_CODE) {
        this.valueLo[r] = side.length;
        side.push(this.side[this.valueLo[from]]);
      } else this.valueLo[r] = this.valueLo[from];
    }
    this.side = side;
    this.base = this.sealed;
    this.n = keep;
    if (this.cap > INITIAL_CAPACITY && keep <= this.cap / 4) this.resize(Math.max(INITIAL_CAPACITY, this.cap / 2));
  }

  /** Views of the recorded columns (valid until the next recorded event grows the buffer). */
  columns(): BufferColumns {
    // Column index = seq; a buffer that dropped its first events cannot offer that.
    if (this.base !== 0) throw new Error(`trace buffer: events before seq ${this.base} were dropped (stored); read them from the store`);
    const n = this.n;
    return new BufferColumnsView(
      this,
      n,
      this.nodeList,
      this.node.subarray(0, n),
      this.code.subarray(0, n),
      this.offset.subarray(0, n),
      this.valueLo.subarray(0, n),
      this.valueHi.subarray(0, n),
    );
  }

  /** Events with seq in [from, to), clamped to what is held. */
  events(from: number, to: number): TraceEvent[] {
    const lo = Math.max(this.base, from);
    const hi = Math.min(this.base + this.n, to);
    const out: TraceEvent[] = [];
    for (let i = lo; i < hi; i++) out.push(this.eventAt(i));
    return out;
  }

  /** @internal BufferColumnsView: the mailbox/step record at seq i, its fields listed (no spread of the record). */
  recordAt(i: number): MailboxEvent | StepEvent {
    // Only reachable through columns(), which needs base 0: seq = row.
    const rec = this.side[this.valueLo[i]];
    const m = rec.mailbox;
    if (m) {
      return {
        kind: 'mailbox',
        seq: i,
        timeNs: this.time[i],
        node: this.nodeList[rec.node],
        opcode: m.opcode,
        name: m.name,
        returnCode: m.returnCode,
        returnName: m.returnName,
        inputHex: m.inputHex,
        outputHex: m.outputHex,
      };
    }
    const s = rec.step!;
    const ev: StepEvent = { kind: 'step', seq: i, timeNs: this.time[i], sequence: s.sequence, name: s.name, verdict: s.verdict, reason: s.reason };
    if (s.evidence !== undefined) ev.evidence = s.evidence;
    return ev;
  }

  private eventAt(seq: number): TraceEvent {
    const i = seq - this.base;
    const c = this.code[i];
    if ((c & 3) !== 0) {
      const rec = this.side[this.valueLo[i]];
      if (rec.mailbox) return { kind: 'mailbox', seq, timeNs: this.time[i], node: this.nodeList[rec.node], ...rec.mailbox };
      return { kind: 'step', seq, timeNs: this.time[i], ...rec.step! };
    }
    const hi = this.valueHi[i];
    const lo = this.valueLo[i];
    return {
      kind: 'access',
      seq,
      timeNs: this.time[i],
      node: this.nodeList[this.node[i]],
      // Field layout: packed-codes.ts.
      space: SPACE_LIST[(c >> 2) & 3],
      region: REGION_LIST[(c >> 4) & 15],
      offset: this.offset[i],
      width: (1 << ((c >> 12) & 3)) as Width,
      op: OP_LIST[(c >> 8) & 1],
      value: hi === 0 ? BigInt(lo) : (BigInt(hi) << 32n) | BigInt(lo),
      status: STATUS_LIST[(c >> 9) & 7],
    };
  }
}

/**
 * BufferColumns as a class: `record` is one prototype method for every view, so a scan calling it through
 * different views (one per side, per comparison) keeps a single call target.
 */
class BufferColumnsView implements BufferColumns {
  constructor(
    private readonly buffer: TraceBuffer,
    readonly count: number,
    readonly nodes: readonly string[],
    readonly node: Uint16Array,
    readonly code: Uint16Array,
    readonly offset: Float64Array,
    readonly valueLo: Uint32Array,
    readonly valueHi: Uint32Array,
  ) {}

  record(seq: number): MailboxEvent | StepEvent {
    return this.buffer.recordAt(seq);
  }
}
