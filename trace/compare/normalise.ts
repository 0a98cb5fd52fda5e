// Normalise one side of a comparison (DESIGN.md 5) into columns the aligner can run over: time dropped, node
// names mapped A→B, absolute addresses rebased onto BARs, masked bits cleared (a masked mailbox command's
// payload reads entirely), and poll loops folded.
//
// A poll loop reads one register, or a few (up to POLL_WINDOW) in turn, with no write or record between. Within
// such a run of reads, a read equal (key, masked value, status) to the latest entry of its register d entries
// back starts a candidate iteration; when the next d - 1 reads repeat the d entries after it too, the iteration
// folds into them (counts added), otherwise its reads stay entries of their own. d = 1 is N identical reads of
// one register and always folds; an iteration of several registers folds only when the loop waited on masked
// state (a raw value changed in masked bits: Percentage Complete, Background Operation), since software reading
// a few registers twice (a BIOS probing a header) is not polling. The read that differs is kept as a new entry.
// A loop whose folded reads differed in masked bits (on any of its registers) is marked `progress`: it waited
// on masked state, so compare.ts does not compare its count. The search further back than the entry before is
// skipped for memory reads and for windows with no masked entry (such an iteration could not fold): it keeps a
// 1 M-event compare within ~20 % of a fold of identical neighbours only.

import { allOnes, type AccessStatus, type Region, type Space } from '../../common/access.js';
import { REGIONS, SPACES } from '../../common/access.js';
import { isColumnar, type ColumnarSource, type MailboxEvent, type StepEvent, type TraceColumns, type TraceEvent, type TraceSource } from '../event.js';
import type { LayoutIndex } from '../layout-index.js';
import type { FieldMasks } from './field-masks.js';
import { KEY_SPLIT, MAX_KEY_CLASS, type KeyTable } from './key-table.js';
import { mailboxRole } from './mailbox-payload.js';
import { POLL_WINDOW, type RebaseRule } from './options.js';
import { STEP_STREAM, StreamTable, stepNode } from './streams.js';
import { KIND_STEP } from '../packed-codes.js';

/** Module-local copies of imported constants used in hot loops (an import is a live binding: a getter call). */
const STEP_KIND = KIND_STEP;
const POLL_WINDOW_N = POLL_WINDOW;

export interface NormalisedTrace {
  length: number;
  key: Float64Array;
  valueLo: Uint32Array;
  valueHi: Uint32Array;
  status: Uint8Array;
  /** Summary bucket id of each entry (KeyTable.summaryId), for per-register counts without a Map per entry. */
  sid: Int32Array;
  /** How many source events this entry stands for (> 1 for a folded poll loop). */
  count: Uint32Array;
  /** 1 when the entry's folded reads differed in masked bits only: its count is timing, not compared. */
  progress: Uint8Array;
  /** Position in the source of the entry's first event. */
  pos: Uint32Array;
  /** Number of source events read. */
  events: number;
}

export interface SideConfig {
  table: KeyTable;
  index?: LayoutIndex;
  masks: FieldMasks;
  nodeMap?: Readonly<Record<string, string>>;
  rebase?: readonly RebaseRule[];
  fold: boolean;
  /** Split into per-node streams (streams.ts); absent: one stream in recorded order. */
  streams?: StreamTable;
}

interface Slot {
  key: number;
  maskLo: number;
  maskHi: number;
  /** KeyTable.summaryId(key). */
  sid: number;
  /** Mailbox role (mailbox-payload.ts mailboxRole): +(id + 1) payload read, -(id + 1) opcode write, 0 none. */
  mb: number;
}

/** Everything known about one (node, space, region, op, width) class on this side. */
interface ClassSlots {
  byOffset: Map<number, Slot>;
  /** Class id for offset keys (unnamed). */
  offsetClass: number;
  /** Summary id of the class's memory bucket (region 'hpa'), -1 until first needed. */
  memSid: number;
}

/** Columns that can hand out their mailbox/step records directly (trace-buffer.ts BufferColumns). */
interface RecordColumns extends TraceColumns {
  record?(seq: number): MailboxEvent | StepEvent;
}

/** Per (node id, packed class bits) in the columnar path: what a slot-cache miss needs. */
interface ColumnClass {
  id: number;
  cs: ClassSlots;
  place: Place;
  op: 'R' | 'W';
  width: number;
  hpa: boolean;
  /** cls × 2^40 for the memory path (keys computed, not looked up); -1 for register regions, -2 for memory
   *  with a class id too large to compute keys from. */
  memBase: number;
}

// Direct-mapped cache of (column class, offset) → slot for the columnar path: a hit costs two compares and no
// Map lookup (Map keys read from a Float64Array would be boxed on every call).
const SLOT_CACHE_BITS = 12;
const SLOT_CACHE_SHIFT = 32 - SLOT_CACHE_BITS;
/** Module-local (hot loop): keys below it are class × SPLIT + offset (key-table.ts). */
const SPLIT = KEY_SPLIT;
// A packed code's space, region, op and width bits (packed-codes.ts 2-8 and 12-13; status and kind left out)
// as a dense 9-bit index: ((c >> 2) & 0x7f) | ((c >> 5) & 0x180).
const CLASSES_PER_NODE = 512;

const STATUS_CODE: Record<AccessStatus, number> = { ok: 0, unclaimed: 1, 'bad-access': 2, timeout: 3, 'link-error': 4 };
const SPACE_CODE: Record<Space, number> = { cfg: 0, mmio: 1, mem: 2 };
const REGION_CODE: Record<Region, number> = { cfg: 0, bar0: 1, bar1: 2, bar2: 3, bar3: 4, bar4: 5, bar5: 6, chbcr: 7, hpa: 8 };
const WIDTH_CODE = [0, 0, 1, 0, 2, 0, 0, 0, 3];
const U32 = 0xffffffffn;
const PAGE = 8192;
const SPACE_LIST = SPACES;
const REGION_LIST = REGIONS;

/** Collects entries, folding poll loops (see the top of the file). */
class Builder {
  key: Float64Array;
  valueLo: Uint32Array;
  valueHi: Uint32Array;
  rawLo: Uint32Array;
  rawHi: Uint32Array;
  status: Uint8Array;
  sid: Int32Array;
  count: Uint32Array;
  progress: Uint8Array;
  pos: Uint32Array;
  n = 0;
  /** First entry of the current run of reads. */
  private stretch = 0;
  /** First entry of a candidate iteration (-1: none) and its period. */
  private loop = -1;
  private period = 0;
  /** Latest entry whose value has masked bits. */
  private lastMasked = -1;

  constructor(
    private cap: number,
    private readonly fold: boolean,
  ) {
    this.key = new Float64Array(cap);
    this.valueLo = new Uint32Array(cap);
    this.valueHi = new Uint32Array(cap);
    this.rawLo = new Uint32Array(cap);
    this.rawHi = new Uint32Array(cap);
    this.status = new Uint8Array(cap);
    this.sid = new Int32Array(cap);
    this.count = new Uint32Array(cap);
    this.progress = new Uint8Array(cap);
    this.pos = new Uint32Array(cap);
  }

  /**
   * One entry: key, summary id, masked value (lo, hi), raw value (rawLo, rawHi), status code; `memory` for the
   * HPA path, `masked` when some bits of the value are masked.
   */
  push(k: number, sid: number, lo: number, hi: number, rawLo: number, rawHi: number, st: number, isRead: boolean, memory: boolean, masked: boolean, at: number): void {
    this.events++;
    if (masked) this.lastMasked = this.n;
    if (!this.fold || !isRead) {
      this.loop = -1;
      this.append(k, sid, lo, hi, rawLo, rawHi, st, at);
      if (!isRead) this.stretch = this.n;
      return;
    }
    const n = this.n;
    if (this.loop >= 0) {
      // A candidate iteration: the read must repeat the entry one period back.
      const e = n - this.period;
      if (this.key[e] === k && this.valueLo[e] === lo && this.valueHi[e] === hi && this.status[e] === st) {
        this.append(k, sid, lo, hi, rawLo, rawHi, st, at);
        if (this.n - this.loop === this.period) this.closeIteration();
        return;
      }
      this.loop = -1; // not a loop: its reads stay entries
    }
    // Further back than the entry before only for register reads (memory is not polled a few addresses in turn)
    // and when the window has a masked entry (a loop of several registers folds only if it waited on masked state).
    const far = !memory && this.lastMasked >= n - POLL_WINDOW;
    const stop = Math.max(this.stretch, n - (far ? POLL_WINDOW : 1));
    let e = n - 1;
    while (e >= stop && this.key[e] !== k) e--;
    if (e >= stop && this.valueLo[e] === lo && this.valueHi[e] === hi && this.status[e] === st) {
      if (e === n - 1) {
        // One register read again: fold it in place.
        this.count[e]++;
        if (this.rawLo[e] !== rawLo || this.rawHi[e] !== rawHi) this.progress[e] = 1;
        return;
      }
      this.loop = n;
      this.period = n - e;
    }
    this.append(k, sid, lo, hi, rawLo, rawHi, st, at);
    if (this.loop >= 0 && this.n - this.loop === this.period) this.closeIteration();
  }

  /** A step of another stream: no poll loop folds across it (a sequence step boundary, as in one stream). */
  breakFold(): void {
    this.stretch = this.n;
    this.loop = -1;
  }

  /** Double every column (a stream's length is not known before the pass that fills it). */
  private grow(): void {
    const cap = Math.max(16, this.cap * 2);
    const g = <T extends Float64Array | Uint32Array | Uint8Array | Int32Array>(a: T, make: (n: number) => T): T => {
      const b = make(cap);
      b.set(a as never);
      return b;
    };
    this.key = g(this.key, (n) => new Float64Array(n));
    this.valueLo = g(this.valueLo, (n) => new Uint32Array(n));
    this.valueHi = g(this.valueHi, (n) => new Uint32Array(n));
    this.rawLo = g(this.rawLo, (n) => new Uint32Array(n));
    this.rawHi = g(this.rawHi, (n) => new Uint32Array(n));
    this.status = g(this.status, (n) => new Uint8Array(n));
    this.sid = g(this.sid, (n) => new Int32Array(n));
    this.count = g(this.count, (n) => new Uint32Array(n));
    this.progress = g(this.progress, (n) => new Uint8Array(n));
    this.pos = g(this.pos, (n) => new Uint32Array(n));
    this.cap = cap;
  }

  private append(k: number, sid: number, lo: number, hi: number, rawLo: number, rawHi: number, st: number, at: number): void {
    const n = this.n;
    if (n === this.cap) this.grow();
    this.key[n] = k;
    this.valueLo[n] = lo;
    this.valueHi[n] = hi;
    this.rawLo[n] = rawLo;
    this.rawHi[n] = rawHi;
    this.status[n] = st;
    this.sid[n] = sid;
    this.count[n] = 1;
    this.progress[n] = 0;
    this.pos[n] = at;
    this.n = n + 1;
  }

  /** Fold the candidate iteration [loop, n) into the period before it. */
  private closeIteration(): void {
    const from = this.loop;
    const d = this.period;
    let changed = false;
    for (let t = from - d; t < from; t++)
      if (this.progress[t] === 1 || this.rawLo[t] !== this.rawLo[t + d] || this.rawHi[t] !== this.rawHi[t + d]) changed = true;
    this.loop = -1;
    if (d > 1 && !changed) return; // several registers read again, nothing waited on: not a poll loop
    for (let t = from - d; t < from; t++) {
      this.count[t] += this.count[t + d];
      if (changed) this.progress[t] = 1;
    }
    this.n = from;
    this.loop = -1;
  }

  /** Source events pushed (folded or not). */
  events = 0;

  finish(): NormalisedTrace {
    const n = this.n;
    return {
      length: n,
      key: this.key.subarray(0, n),
      valueLo: this.valueLo.subarray(0, n),
      valueHi: this.valueHi.subarray(0, n),
      status: this.status.subarray(0, n),
      sid: this.sid.subarray(0, n),
      count: this.count.subarray(0, n),
      progress: this.progress.subarray(0, n),
      pos: this.pos.subarray(0, n),
      events: this.events,
    };
  }
}

/** A rebased access: where it lands after the side's rules. */
interface Place {
  node: string;
  space: Space;
  region: Region;
  offset: number;
}

function rebase(rules: readonly RebaseRule[], p: Place): Place {
  for (const r of rules) {
    if (r.node !== undefined && r.node !== p.node) continue;
    if (r.space !== undefined && r.space !== p.space) continue;
    if (r.region !== undefined && r.region !== p.region) continue;
    if (p.offset < r.base || p.offset >= r.base + r.size) continue;
    return {
      node: r.to.node ?? p.node,
      space: r.to.space ?? p.space,
      region: r.to.region ?? p.region,
      offset: p.offset - r.base,
    };
  }
  return p;
}

export class Normaliser {
  /** node → class slots by (space, region, op, width) → offset → key and mask. */
  private readonly cache = new Map<string, ClassSlots[]>();
  /** Mailbox class per node, with each opcode's key and summary id. */
  private readonly mailboxClass = new Map<string, { cls: number; keys: Map<number, { key: number; sid: number; maskOutput: boolean }> }>();
  private readonly stepClasses = new Map<string, number>();
  private readonly memSlot: Slot = { key: 0, maskLo: 0xffffffff, maskHi: 0xffffffff, sid: 0, mb: 0 };
  /** Mailbox ids by "node|region|base" (mailbox-payload.ts). */
  private readonly mailboxIds = new Map<string, number>();
  /** Per mailbox id: 1 while its current command's output is masked ("mailbox.<opcode>"). */
  private mailboxMasked = new Uint8Array(8);
  // recordKey's results (fields, so a record costs no tuple).
  /** @internal */ recKey = 0;
  /** @internal */ recValue = 0;
  /** @internal */ recSid = 0;

  constructor(private readonly cfg: SideConfig) {}

  private mapNode(node: string): string {
    return this.cfg.nodeMap?.[node] ?? node;
  }

  private mailboxId(node: string, region: Region, base: number): number {
    const k = `${node}|${region}|${base}`;
    let id = this.mailboxIds.get(k);
    if (id === undefined) {
      id = this.mailboxIds.size;
      this.mailboxIds.set(k, id);
      if (id >= this.mailboxMasked.length) {
        const grown = new Uint8Array(this.mailboxMasked.length * 2);
        grown.set(this.mailboxMasked);
        this.mailboxMasked = grown;
      }
    }
    return id;
  }

  /** @internal A write of mailbox `id`'s Command Register (low value bits: opcode [15:0]) starts a command. */
  commandWritten(id: number, rawLo: number): void {
    this.mailboxMasked[id] = this.cfg.masks.mailboxOutputs.has(rawLo & 0xffff) ? 1 : 0;
  }

  /** @internal Does a read of mailbox `id`'s payload return a masked command's output? */
  payloadMasked(id: number): boolean {
    return this.mailboxMasked[id] === 1;
  }

  /** The class slots of (node, space, region, op, width), with the class id for offset keys set. */
  private classSlots(p: Place, op: 'R' | 'W', width: number): ClassSlots {
    let perNode = this.cache.get(p.node);
    if (!perNode) this.cache.set(p.node, (perNode = []));
    const si = ((SPACE_CODE[p.space] * 16 + REGION_CODE[p.region]) * 2 + (op === 'W' ? 1 : 0)) * 4 + WIDTH_CODE[width];
    let cs = perNode[si];
    if (!cs) {
      const node = this.mapNode(p.node);
      const offsetClass = this.cfg.table.classId({ kind: 'access', node, space: p.space, region: p.region, op, width, named: false });
      perNode[si] = cs = { byOffset: new Map(), offsetClass, memSid: -1 };
    }
    return cs;
  }

  private slotFor(p: Place, op: 'R' | 'W', width: number): Slot {
    const cs = this.classSlots(p, op, width);
    const { table, index, masks } = this.cfg;
    const node = this.mapNode(p.node);
    const base = { kind: 'access' as const, node, space: p.space, region: p.region, op, width };
    // The memory path: one key per address, no fields; caching them would only grow a map.
    if (p.region === 'hpa') {
      const key = table.key(cs.offsetClass, p.offset);
      if (cs.memSid < 0) cs.memSid = table.summaryId(key);
      this.memSlot.key = key;
      this.memSlot.sid = cs.memSid;
      return this.memSlot;
    }
    let slot = cs.byOffset.get(p.offset);
    if (slot) return slot;
    const hits = !index ? [] : index.overlapping(p.node, p.region, p.offset, width);
    let key: number;
    let maskLo = 0xffffffff;
    let maskHi = 0xffffffff;
    const mb = !index ? 0 : mailboxRole(index, p.node, p.region, p.offset, width, op, hits, (n, r, b) => this.mailboxId(n, r, b));
    const inBlock = hits.length === 0 && index ? index.blockAt(p.node, p.region, p.offset) : undefined;
    if (inBlock) {
      // Inside a structure but in no declared register: keyed relative to the structure, so a structure placed
      // at another offset on the other side still aligns (structure-moves.ts).
      const name = `${inBlock.block.name} · +0x${(p.offset - inBlock.placed.base).toString(16)}`;
      key = table.key(table.classId({ ...base, named: true }), table.nameId(name));
    } else if (hits.length === 0) {
      key = table.key(cs.offsetClass, p.offset);
    } else {
      const delta = p.offset - hits[0].base;
      const name = `${hits[0].block.name} · ${hits.map((h) => h.register.name).join(' + ')}${delta ? ` +${delta}` : ''}`;
      const keep = ~masks.accessMask(hits, p.offset, width) & allOnes(8);
      key = table.key(table.classId({ ...base, named: true }), table.nameId(name));
      maskLo = Number(keep & U32);
      maskHi = Number((keep >> 32n) & U32);
    }
    slot = { key, maskLo, maskHi, sid: table.summaryId(key), mb };
    cs.byOffset.set(p.offset, slot);
    return slot;
  }

  /** Key, compared value and summary id of a mailbox or step event, left in recKey / recValue / recSid. */
  private recordKey(e: MailboxEvent | StepEvent): void {
    const { table, masks } = this.cfg;
    if (e.kind === 'mailbox') {
      let mc = this.mailboxClass.get(e.node);
      if (mc === undefined) {
        const cls = table.classId({ kind: 'mailbox', node: this.mapNode(e.node), space: '', region: '', op: '', width: 0, named: false });
        this.mailboxClass.set(e.node, (mc = { cls, keys: new Map() }));
      }
      let ks = mc.keys.get(e.opcode);
      if (ks === undefined) {
        const key = table.key(mc.cls, e.opcode);
        mc.keys.set(e.opcode, (ks = { key, sid: table.summaryId(key), maskOutput: masks.mailboxOutputs.has(e.opcode) }));
      }
      this.recKey = ks.key;
      this.recSid = ks.sid;
      this.recValue = table.mailboxValueId(e.returnCode, e.inputHex, ks.maskOutput ? '*' : e.outputHex);
      return;
    }
    // A step's class names the node its name starts with (streams.ts), so summaries count it for that device.
    const sn = stepNode(e.name);
    const node = sn === null ? '' : this.mapNode(sn);
    let cls = this.stepClasses.get(node);
    if (cls === undefined) this.stepClasses.set(node, (cls = table.classId({ kind: 'step', node, space: '', region: '', op: '', width: 0, named: true })));
    this.recKey = table.key(cls, table.nameId(`${e.sequence} / ${e.name}`));
    this.recValue = table.valueId(e.verdict);
    this.recSid = table.summaryId(this.recKey);
  }

  /** One stream, in recorded order. */
  run(src: TraceSource): NormalisedTrace {
    return this.runStreams(src, new StreamTable('global'))[0] ?? EMPTY;
  }

  /**
   * Each stream of `streams` (streams.ts) normalised on its own — poll loops fold within a node's stream, so a
   * loop interrupted by another device's accesses still folds — indexed by stream id (missing: no events).
   * Entries' `pos` stay positions in the whole source.
   */
  runStreams(src: TraceSource, streams: StreamTable): NormalisedTrace[] {
    return isColumnar(src) && !this.cfg.rebase?.length ? this.runColumns(src, streams) : this.runEvents(src, streams);
  }

  private streamOfStep(name: string, streams: StreamTable): number {
    const node = stepNode(name);
    return streams.id(node === null ? STEP_STREAM : this.mapNode(node));
  }

  /** @internal ColumnScan: the column class of (node id, packed code) on first sight. */
  columnClass(id: number, nodes: readonly string[], nodeId: number, c: number): ColumnClass {
    const place: Place = { node: nodes[nodeId], space: SPACE_LIST[(c >> 2) & 3], region: REGION_LIST[(c >> 4) & 15], offset: 0 };
    const op = (c & 0x100) !== 0 ? 'W' : 'R';
    const width = 1 << ((c >> 12) & 3);
    const cs = this.classSlots(place, op, width);
    const hpa = place.region === 'hpa';
    if (hpa && cs.memSid < 0) cs.memSid = this.cfg.table.summaryId(this.cfg.table.key(cs.offsetClass, 0));
    const memBase = !hpa ? -1 : cs.offsetClass < MAX_KEY_CLASS ? cs.offsetClass * SPLIT : -2;
    return { id, cs, place, op, width, hpa, memBase };
  }

  /** @internal ColumnScan: the slot of an offset in a register class (a slot-cache miss). */
  columnSlot(cc: ColumnClass, off: number): Slot {
    const slot = cc.cs.byOffset.get(off);
    if (slot) return slot;
    cc.place.offset = off;
    return this.slotFor(cc.place, cc.op, cc.width);
  }

  /** @internal ColumnScan: key, value and summary id of a record (left in recKey / recValue / recSid). */
  columnRecord(e: MailboxEvent | StepEvent): void {
    this.recordKey(e);
  }

  /** @internal ColumnScan: a memory key the fast path cannot compute (huge address or class id). */
  memKey(cc: ColumnClass, off: number): number {
    return this.cfg.table.key(cc.cs.offsetClass, off);
  }

  /**
   * The same as runEvents, straight from a TraceBuffer's columns: no event objects for accesses, a
   * direct-mapped slot cache in front of the per-class maps, and the fold done in place on the output columns.
   * The scan runs in blocks so its loop is a small function the engine optimises after a few calls.
   */
  private runColumns(src: ColumnarSource, streams: StreamTable): NormalisedTrace[] {
    const cols = src.columns() as RecordColumns;
    const out: NormalisedTrace[] = [];
    // One set of output columns for the side; stream after stream in stream-id order, each in the part of
    // them its rows could fill (folded loops leave a gap after it). compare.ts uses the columns as they are.
    const columns = new ScanOutputs(cols.count);
    let start = 0;
    // Steps break poll loops in every stream, as they did in one (a sequence step boundary).
    const stepRows: number[] = [];
    const split = this.splitRows(src, cols, streams, stepRows);
    const breaks = Uint32Array.from(stepRows);
    for (const [stream, rows] of split) {
      const scan = new ColumnScan(this, cols, src, this.cfg.fold, rows, columns, start, breaks);
      start += rows.length;
      // The first blocks are small: the engine collects type feedback only after a few calls of a function, and
      // optimising it from complete feedback (the whole body run) avoids deoptimising in the big blocks.
      let n = 0;
      for (let from = 0, b = 0; from < rows.length; b++) {
        const to = Math.min(rows.length, from + (b < WARM_BLOCKS ? WARM_BLOCK : SCAN_BLOCK));
        n = scanBlock(scan, from, to, n);
        from = to;
      }
      scan.n = n;
      scan.fillRecords();
      out[stream] = scan.finish();
    }
    return out;
  }

  /** The rows of each stream, in order (one stream of every row in 'global' mode). */
  private splitRows(src: TraceSource, cols: RecordColumns, streams: StreamTable, stepRows: number[]): Map<number, Uint32Array> {
    const n = cols.count;
    const out = new Map<number, Uint32Array>();
    if (streams.mode === 'global') {
      const rows = new Uint32Array(n);
      for (let i = 0; i < n; i++) rows[i] = i;
      if (n) out.set(streams.id(''), rows);
      return out;
    }
    const nodeStream = Int32Array.from(cols.nodes, (name) => streams.id(this.mapNode(name)));
    const of = new Int32Array(n);
    const { code, node } = cols;
    for (let i = 0; i < n; i++) {
      if ((code[i] & 3) === STEP_KIND) {
        const rec = cols.record ? cols.record(i) : src.events(i, i + 1)[0];
        of[i] = this.streamOfStep((rec as StepEvent).name, streams);
        stepRows.push(i);
      } else of[i] = nodeStream[node[i]];
    }
    const sizes = new Int32Array(streams.size);
    for (let i = 0; i < n; i++) sizes[of[i]]++;
    const lists: Uint32Array[] = [];
    for (let s = 0; s < sizes.length; s++) lists.push(new Uint32Array(sizes[s]));
    const fill = new Int32Array(sizes.length);
    for (let i = 0; i < n; i++) {
      const s = of[i];
      lists[s][fill[s]++] = i;
    }
    lists.forEach((rows, s) => rows.length && out.set(s, rows));
    return out;
  }

  private runEvents(src: TraceSource, streams: StreamTable): NormalisedTrace[] {
    const cap = src.count;
    const builders: Builder[] = [];
    const builder = (s: number): Builder => (builders[s] ??= new Builder(streams.mode === 'global' ? cap : 1024, this.cfg.fold));
    const rules = this.cfg.rebase ?? [];
    for (let from = 0; from < cap; from += PAGE) {
      const page: TraceEvent[] = src.events(from, Math.min(cap, from + PAGE));
      for (let j = 0; j < page.length; j++) {
        const e = page[j];
        if (e.kind !== 'access') {
          this.recordKey(e);
          const s = e.kind === 'step' ? this.streamOfStep(e.name, streams) : streams.id(this.mapNode(e.node));
          if (e.kind === 'step') for (const b of builders) b?.breakFold();
          builder(s).push(this.recKey, this.recSid, this.recValue, 0, 0, 0, 0, false, false, false, from + j);
          continue;
        }
        const p = rules.length ? rebase(rules, e) : e;
        const slot = this.slotFor(p, e.op, e.width);
        const v = e.value;
        const rawLo = Number(v & U32);
        const rawHi = Number((v >> 32n) & U32);
        let lo = (rawLo & slot.maskLo) >>> 0;
        let hi = (rawHi & slot.maskHi) >>> 0;
        let masked = (slot.maskLo & slot.maskHi) !== 0xffffffff;
        if (slot.mb < 0) this.commandWritten(-slot.mb - 1, rawLo);
        else if (slot.mb > 0 && this.payloadMasked(slot.mb - 1)) {
          lo = hi = 0;
          masked = true;
        }
        builder(streams.id(this.mapNode(p.node))).push(slot.key, slot.sid, lo, hi, rawLo, rawHi, STATUS_CODE[e.status], e.op === 'R', p.region === 'hpa', masked, from + j);
      }
    }
    return builders.map((b) => b?.finish());
  }
}

const EMPTY: NormalisedTrace = {
  length: 0,
  key: new Float64Array(0),
  valueLo: new Uint32Array(0),
  valueHi: new Uint32Array(0),
  status: new Uint8Array(0),
  sid: new Int32Array(0),
  count: new Uint32Array(0),
  progress: new Uint8Array(0),
  pos: new Uint32Array(0),
  events: 0,
};

/** A side's output columns (columnar path), shared by its streams' scans. */
export class ScanOutputs {
  readonly key: Float64Array;
  readonly lo: Uint32Array;
  readonly hi: Uint32Array;
  readonly status: Uint8Array;
  readonly sid: Int32Array;
  readonly count: Uint32Array;
  readonly progress: Uint8Array;
  readonly rawLo: Uint32Array;
  readonly rawHi: Uint32Array;
  readonly pos: Uint32Array;

  constructor(n: number) {
    this.key = new Float64Array(n);
    this.lo = new Uint32Array(n);
    this.hi = new Uint32Array(n);
    this.status = new Uint8Array(n);
    this.sid = new Int32Array(n);
    this.count = new Uint32Array(n);
    this.progress = new Uint8Array(n);
    this.rawLo = new Uint32Array(n);
    this.rawHi = new Uint32Array(n);
    this.pos = new Uint32Array(n);
  }

  /** Views of [start, start + n). */
  at(start: number, n: number) {
    const v = <T extends { subarray(a: number, b: number): T }>(a: T): T => a.subarray(start, start + n);
    return {
      key: v(this.key),
      lo: v(this.lo),
      hi: v(this.hi),
      status: v(this.status),
      sid: v(this.sid),
      count: v(this.count),
      progress: v(this.progress),
      rawLo: v(this.rawLo),
      rawHi: v(this.rawHi),
      pos: v(this.pos),
    };
  }
}

const NO_BREAKS = new Uint32Array(0);
const SCAN_BLOCK = 16384;
const WARM_BLOCK = 256;
const WARM_BLOCKS = 16;

/** The state of one columnar normalisation: output columns, the class table and the slot cache. */
class ColumnScan {
  readonly outKey: Float64Array;
  readonly outLo: Uint32Array;
  readonly outHi: Uint32Array;
  readonly outStatus: Uint8Array;
  readonly outSid: Int32Array;
  readonly outCount: Uint32Array;
  readonly outProgress: Uint8Array;
  readonly outRawLo: Uint32Array;
  readonly outRawHi: Uint32Array;
  readonly outPos: Uint32Array;
  /** classOf[node id × CLASSES_PER_NODE + class index] is 1 + the class's id in `classes`. */
  readonly classOf: Int32Array;
  /** By id. A Map, not an array: a fresh [] per scan changes element kind on its first push, and the block
   *  scan (which may inline the miss path) would deoptimise on it in every comparison. */
  readonly classes = new Map<number, ColumnClass>();
  /** Per class: ColumnClass.memBase, and the summary id of its memory bucket. */
  readonly memBase: Float64Array;
  readonly memSid: Int32Array;
  readonly cClass: Int32Array;
  readonly cOff: Float64Array;
  readonly cKey: Float64Array;
  readonly cLo: Uint32Array;
  readonly cHi: Uint32Array;
  readonly cSid: Int32Array;
  readonly cMb: Int32Array;
  /** Poll-fold state carried from one block to the next: first entry of the current run of reads, first entry
   *  of a candidate iteration (-1: none) and its period. */
  stretch = 0;
  loop = -1;
  period = 0;
  /** Latest entry whose value has masked bits. */
  lastMasked = -1;
  /** Index in `breaks` of the next step row ahead. */
  nextBreak = 0;
  /** Entries reserved for mailbox/step records (filled by fillRecords). */
  readonly recordEntries: number[] = [];
  /** Entries written (set after the scan). */
  n = 0;

  constructor(
    private readonly norm: Normaliser,
    readonly cols: RecordColumns,
    private readonly src: TraceSource,
    readonly fold: boolean,
    /** The source rows of this stream, in order. */
    readonly rows: Uint32Array,
    /** The side's output columns; this stream writes [start, start + rows.length). */
    out: ScanOutputs,
    start: number,
    /** Source rows (ascending) of steps: poll loops do not fold across them. */
    readonly breaks: Uint32Array = NO_BREAKS,
  ) {
    const cap = rows.length;
    const o = out.at(start, cap);
    this.outKey = o.key;
    this.outLo = o.lo;
    this.outHi = o.hi;
    this.outStatus = o.status;
    this.outSid = o.sid;
    this.outCount = o.count;
    this.outProgress = o.progress;
    this.outRawLo = o.rawLo;
    this.outRawHi = o.rawHi;
    this.outPos = o.pos;
    this.classOf = new Int32Array(cols.nodes.length * CLASSES_PER_NODE);
    // Typed (not number[]): a class × 2^40 base joining small ints would change the array's kind mid-scan.
    this.memBase = new Float64Array(cols.nodes.length * CLASSES_PER_NODE);
    this.memSid = new Int32Array(cols.nodes.length * CLASSES_PER_NODE);
    const size = 1 << SLOT_CACHE_BITS;
    this.cClass = new Int32Array(size).fill(-1);
    this.cOff = new Float64Array(size);
    this.cKey = new Float64Array(size);
    this.cLo = new Uint32Array(size);
    this.cHi = new Uint32Array(size);
    this.cSid = new Int32Array(size);
    this.cMb = new Int32Array(size);
  }

  /** Index of the class of row i (code c), made on first sight. */
  newClass(ci: number, nodeId: number, c: number): number {
    const id = this.classes.size;
    const cc = this.norm.columnClass(id, this.cols.nodes, nodeId, c);
    this.classes.set(id, cc);
    this.memBase[id] = cc.memBase;
    this.memSid[id] = cc.cs.memSid;
    this.classOf[ci] = id + 1;
    return id;
  }

  /** Fill slot-cache entry h with the slot of (class, offset). */
  fill(h: number, cls: number, off: number): void {
    const slot = this.norm.columnSlot(this.classes.get(cls)!, off);
    this.cClass[h] = cls;
    this.cOff[h] = off;
    this.cKey[h] = slot.key;
    this.cLo[h] = slot.maskLo;
    this.cHi[h] = slot.maskHi;
    this.cSid[h] = slot.sid;
    this.cMb[h] = slot.mb;
  }

  /** A mailbox Command Register write (mb < 0) or payload read (mb > 0): the masked low half of the value. */
  mailbox(mb: number, rawLo: number, lo: number): number {
    if (mb < 0) {
      this.norm.commandWritten(-mb - 1, rawLo);
      return lo;
    }
    return this.norm.payloadMasked(mb - 1) ? 0 : lo;
  }

  /** Is a payload read (role > 0) of a masked command's output? */
  payloadMasked(role: number): boolean {
    return this.norm.payloadMasked(role - 1);
  }

  /** The high half of a payload read: cleared when its command's output is masked. */
  payloadHi(mb: number, hi: number): number {
    return mb > 0 && this.norm.payloadMasked(mb - 1) ? 0 : hi;
  }

  memKey(cls: number, off: number): number {
    return this.norm.memKey(this.classes.get(cls)!, off);
  }

  /**
   * Key, value and summary id of every record entry, after the scan (which only reserved their entries):
   * keeps the record path — maps, strings, the source's record objects — out of the hot loop, where inlining
   * it would tie the loop's optimised code to objects each comparison makes anew.
   */
  fillRecords(): void {
    const norm = this.norm;
    const cols = this.cols;
    const { outKey, outLo, outSid, outPos } = this;
    for (const n of this.recordEntries) {
      const i = outPos[n];
      // Through the columns when they hand out records (TraceBuffer), else one event from the source.
      norm.columnRecord(cols.record ? cols.record(i) : (this.src.events(i, i + 1)[0] as MailboxEvent | StepEvent));
      outKey[n] = norm.recKey;
      outLo[n] = norm.recValue;
      outSid[n] = norm.recSid;
    }
  }

  finish(): NormalisedTrace {
    const n = this.n;
    return {
      length: n,
      key: this.outKey.subarray(0, n),
      valueLo: this.outLo.subarray(0, n),
      valueHi: this.outHi.subarray(0, n),
      status: this.outStatus.subarray(0, n),
      sid: this.outSid.subarray(0, n),
      count: this.outCount.subarray(0, n),
      progress: this.outProgress.subarray(0, n),
      pos: this.outPos.subarray(0, n),
      events: this.rows.length,
    };
  }
}

/**
 * Normalise the stream's rows s.rows[from, to) into the scan's output (the hot loop: only typed-array work and rare calls out).
 * `n` is the number of entries so far, passed in and returned; the poll-fold state (run of reads, candidate
 * iteration) is carried in s.stretch / s.loop / s.period (stores once per block).
 */
function scanBlock(s: ColumnScan, from: number, to: number, n: number): number {
  const { code, node, offset, valueLo, valueHi } = s.cols;
  const rows = s.rows;
  const { outKey, outLo, outHi, outStatus, outSid, outCount, outProgress, outRawLo, outRawHi, outPos, classOf, memBase, memSid } = s;
  const { cClass, cOff, cKey, cLo, cHi, cSid, cMb, recordEntries } = s;
  const fold = s.fold;
  let stretch = s.stretch;
  let loop = s.loop;
  let period = s.period;
  let lastMasked = s.lastMasked;
  const breaks = s.breaks;
  let bk = s.nextBreak;
  let nextBreak = bk < breaks.length ? breaks[bk] : 0xffffffff;
  for (let r = from; r < to; r++) {
    const i = rows[r];
    if (i > nextBreak) {
      // A step (of another stream) came before this row: a loop does not fold across it.
      stretch = n;
      loop = -1;
      while (bk < breaks.length && breaks[bk] < i) bk++;
      nextBreak = bk < breaks.length ? breaks[bk] : 0xffffffff;
    }
    const c = code[i];
    if ((c & 3) !== 0) {
      // A record: reserve its entry (records never fold); fillRecords keys it after the scan.
      outKey[n] = 0;
      outLo[n] = 0;
      outHi[n] = 0;
      outRawLo[n] = 0;
      outRawHi[n] = 0;
      outStatus[n] = 0;
      outSid[n] = 0;
      outCount[n] = 1;
      outProgress[n] = 0;
      outPos[n] = i;
      recordEntries.push(n);
      n++;
      stretch = n;
      loop = -1;
      continue;
    }
    // Class index: space, region, op and width bits of the packed code (see CLASSES_PER_NODE).
    const ci = node[i] * CLASSES_PER_NODE + (((c >> 2) & 0x7f) | ((c >> 5) & 0x180));
    let cls = classOf[ci] - 1;
    if (cls < 0) cls = s.newClass(ci, node[i], c);
    const off = offset[i];
    let k: number;
    let sid: number;
    const rawLo = valueLo[i];
    const rawHi = valueHi[i];
    let lo = rawLo;
    let hi = rawHi;
    const mb = memBase[cls];
    if (mb === -1) {
      const h = (Math.imul(cls + 1, 0x9e3779b1) ^ Math.imul(off | 0, 0x85ebca6b)) >>> SLOT_CACHE_SHIFT;
      if (cClass[h] !== cls || cOff[h] !== off) s.fill(h, cls, off);
      k = cKey[h];
      sid = cSid[h];
      lo = (lo & cLo[h]) >>> 0;
      hi = (hi & cHi[h]) >>> 0;
      if ((cLo[h] & cHi[h]) !== -1) lastMasked = n;
      const role = cMb[h];
      if (role !== 0) {
        lo = s.mailbox(role, rawLo, lo);
        hi = s.payloadHi(role, hi);
        if (role > 0 && s.payloadMasked(role)) lastMasked = n;
      }
    } else {
      // The memory path: key = class × 2^40 + address (key-table.ts), computed; no mask.
      k = mb >= 0 && off >= 0 && off < SPLIT && Math.floor(off) === off ? mb + off : s.memKey(cls, off);
      sid = memSid[cls];
    }
    const st = (c >> 9) & 7;
    const isRead = (c & 0x100) === 0;
    // Poll loops (Builder.push, the same rules).
    if (!fold || !isRead) loop = -1;
    else {
      if (loop >= 0) {
        const e = n - period;
        if (!(outKey[e] === k && outLo[e] === lo && outHi[e] === hi && outStatus[e] === st)) loop = -1;
      }
      if (loop < 0 && n > stretch) {
        // The register's latest entry in the window: the entry before first (one register polled); further
        // back only for register reads (memory is not polled a few addresses in turn).
        let e = n - 1;
        if (outKey[e] !== k && mb === -1 && lastMasked >= n - POLL_WINDOW_N) {
          const stop = n - POLL_WINDOW_N > stretch ? n - POLL_WINDOW_N : stretch;
          e = -1;
          for (let x = n - 2; x >= stop; x--)
            if (outKey[x] === k) {
              e = x;
              break;
            }
        }
        if (e >= 0 && outKey[e] === k && outLo[e] === lo && outHi[e] === hi && outStatus[e] === st) {
          if (e === n - 1) {
            // One register read again: fold it in place.
            outCount[e]++;
            if (outRawLo[e] !== rawLo || outRawHi[e] !== rawHi) outProgress[e] = 1;
            continue;
          }
          loop = n;
          period = n - e;
        }
      }
    }
    outKey[n] = k;
    outLo[n] = lo;
    outHi[n] = hi;
    outRawLo[n] = rawLo;
    outRawHi[n] = rawHi;
    outStatus[n] = st;
    outSid[n] = sid;
    outCount[n] = 1;
    outProgress[n] = 0;
    outPos[n] = i;
    n++;
    if (!isRead) stretch = n;
    else if (loop >= 0 && n - loop === period) {
      // The candidate iteration [loop, n) repeats the period before it: fold it in.
      let changed = false;
      for (let t = loop - period; t < loop; t++)
        if (outProgress[t] === 1 || outRawLo[t] !== outRawLo[t + period] || outRawHi[t] !== outRawHi[t + period]) changed = true;
      if (period === 1 || changed) {
        for (let t = loop - period; t < loop; t++) {
          outCount[t] += outCount[t + period];
          if (changed) outProgress[t] = 1;
        }
        n = loop;
      }
      loop = -1;
    }
  }
  s.stretch = stretch;
  s.nextBreak = bk;
  s.loop = loop;
  s.period = period;
  s.lastMasked = lastMasked;
  return n;
}
