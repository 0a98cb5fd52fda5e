// compareTraces (DESIGN.md 5): normalise both sides, align on keys, compare aligned values, and report the
// first divergence, counts per kind, a per-register summary and hunks (pages of them, decoded on demand).

import type { Layout } from '../../common/layout.js';
import { decodeEvent, type DecodedEvent } from '../decode.js';
import { arraySource, type TraceEvent, type TraceSource } from '../event.js';
import { LayoutIndex, layoutIndex, type BlockResolver } from '../layout-index.js';
import { alignKeys } from './align.js';
import { FieldMasks } from './field-masks.js';
import { KeyTable } from './key-table.js';
import { Normaliser, type NormalisedTrace } from './normalise.js';
import type { CompareOptions } from './options.js';
import { StreamTable, type AlignMode } from './streams.js';
import { structureMoves, type StructureMove } from './structure-moves.js';

export type DiffKind = 'value' | 'only-a' | 'only-b' | 'poll-count';

export interface CompareCounts {
  /** Aligned entries (folded poll loops count once) that compare equal. */
  equal: number;
  valueDiffers: number;
  onlyA: number;
  onlyB: number;
  pollCountDiffers: number;
}

export interface RegisterSummary extends CompareCounts {
  /** "node · block · register · op width", "node · bar2 +0x40 · R4", or "node · memory · R". */
  register: string;
}

export interface DeviceSummary extends CompareCounts {
  node: string;
  /** Structures of this device placed at different offsets on the two sides. */
  moved: number;
}

export interface StructureSummary extends CompareCounts {
  node: string;
  structure: string;
  /** Set when the structure is at different offsets on the two sides (aligned on structure-relative keys). */
  moved?: { region: string; a: number; b: number };
}

export interface SideView {
  seq: number;
  /** Events this entry stands for (a folded poll loop: how many identical reads). */
  count: number;
  event: TraceEvent;
  decoded: DecodedEvent;
}

export interface FieldDiff {
  name: string;
  a: bigint;
  b: bigint;
  /** The field is masked: its difference does not count. */
  masked: boolean;
  /** For mailbox / step events: the compared content as text. */
  aText?: string;
  bText?: string;
}

export interface DiffItem {
  kind: DiffKind;
  a?: SideView;
  b?: SideView;
  /** For 'value': the fields that differ (or one field 'value' when the layout does not know the register). */
  fields?: FieldDiff[];
  text: string;
}

export interface Hunk {
  index: number;
  items: DiffItem[];
}

export interface CompareResult {
  /** No difference of any kind. */
  equal: boolean;
  counts: CompareCounts;
  events: { a: number; b: number; entriesA: number; entriesB: number };
  firstDivergence: (DiffItem & { hunk: number }) | null;
  /** Registers with at least one difference first (most differences first), then the rest by name. */
  registers: RegisterSummary[];
  /** How the traces were aligned: per-node streams or one global order; entries aligned (matched) on each side. */
  alignment: { mode: AlignMode; streams: number; matched: number; ratio: number };
  /** Per device (node, B's names): counts by kind and how many of its structures moved. */
  devices: DeviceSummary[];
  /** Per structure of each device (a register block, 'memory', 'mailbox records', undeclared offsets of a region). */
  structures: StructureSummary[];
  /** Structures both layouts place on a touched node, at different offsets (reported once each). */
  moves: StructureMove[];
  hunkCount: number;
  hunksPage(offset: number, limit: number): Hunk[];
}

const K_VALUE = 1;
const K_ONLY_A = 2;
const K_ONLY_B = 3;
const K_POLL = 4;
const KIND_NAMES: Record<number, DiffKind> = { 1: 'value', 2: 'only-a', 3: 'only-b', 4: 'poll-count' };

const toSource = (x: readonly TraceEvent[] | TraceSource): TraceSource =>
  Array.isArray(x) ? arraySource(x as readonly TraceEvent[]) : (x as TraceSource);

/** Growable Int32 column. */
class IntColumn {
  data = new Int32Array(1024);
  length = 0;
  push(v: number): void {
    if (this.length === this.data.length) {
      const next = new Int32Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = v;
  }
}

export function compareTraces(
  a: readonly TraceEvent[] | TraceSource,
  b: readonly TraceEvent[] | TraceSource,
  options: CompareOptions = {},
): CompareResult {
  const srcA = toSource(a);
  const srcB = toSource(b);
  const resolve: BlockResolver = options.resolve ?? (() => undefined);
  const idxA = options.layoutA ? layoutIndex(options.layoutA, resolve) : undefined;
  const idxB = options.layoutB ? layoutIndex(options.layoutB, resolve) : undefined;
  const masks = new FieldMasks(options.masks ?? [], options.defaultMasks ?? true);
  const table = new KeyTable();
  const fold = options.foldPolls ?? true;
  const streams = new StreamTable(options.node !== undefined ? 'node' : (options.align ?? 'node'));
  const sa = new Normaliser({ table, index: idxA, masks, nodeMap: options.nodeMap, rebase: options.rebaseA, fold }).runStreams(srcA, streams);
  const sb = new Normaliser({ table, index: idxB, masks, rebase: options.rebaseB, fold }).runStreams(srcB, streams);
  // Streams compared: all, or the one node asked for (B's name; A's after the node map).
  const ids: number[] = [];
  for (let s = 0; s < streams.size; s++) if (options.node === undefined || streams.names[s] === options.node) ids.push(s);
  const na = concat(sa, ids);
  const nb = concat(sb, ids);

  const merged = alignStreams(ids, sa, sb, na, nb, srcA.count);
  const entriesA = na.entries ?? na.length;
  const entriesB = nb.entries ?? nb.length;
  const w = new Walker(na, nb, table.summaryCount);
  merged.walk(w);
  const counts: CompareCounts = { equal: w.equal, valueDiffers: w.valueDiffers, onlyA: w.onlyA, onlyB: w.onlyB, pollCountDiffers: w.pollCountDiffers };
  const { perReg, order, opKind, opA, opB, hunkStart } = w;

  const registers: RegisterSummary[] = order.map((s) => ({
    register: table.summaryLabel(table.summaryKeyOf(s)),
    ...countsAt(perReg, s),
  }));
  registers.sort((x, y) => diffCount(y) - diffCount(x) || (x.register < y.register ? -1 : x.register > y.register ? 1 : 0));
  const moves = options.layoutA && options.layoutB ? structureMoves(options.layoutA, options.layoutB, resolve, options.nodeMap ?? {}) : [];
  const { devices, structures } = summarise(table, perReg, order, moves);

  const items = new ItemBuilder(srcA, srcB, na, nb, idxA, idxB, resolve, masks);
  const hunkCount = hunkStart.length;
  const hunksPage = (offset: number, limit: number): Hunk[] => {
    const out: Hunk[] = [];
    for (let h = Math.max(0, offset); h < Math.min(hunkCount, offset + limit); h++) {
      const from = hunkStart.data[h];
      const to = h + 1 < hunkCount ? hunkStart.data[h + 1] : opKind.length;
      const hunkItems: DiffItem[] = [];
      for (let o = from; o < to; o++) hunkItems.push(items.item(opKind.data[o], opA.data[o], opB.data[o]));
      out.push({ index: h, items: hunkItems });
    }
    return out;
  };
  const firstDivergence = opKind.length ? { ...items.item(opKind.data[0], opA.data[0], opB.data[0]), hunk: 0 } : null;
  const touched = new Set(ids.map((s) => streams.names[s]));
  const movesTouched = moves.filter((m) => touched.has(m.node));

  return {
    equal: opKind.length === 0,
    counts,
    events: { a: na.events, b: nb.events, entriesA: na.entries ?? na.length, entriesB: nb.entries ?? nb.length },
    alignment: {
      mode: streams.mode,
      streams: ids.length,
      matched: merged.matched,
      ratio: entriesA + entriesB === 0 ? 1 : (2 * merged.matched) / (entriesA + entriesB),
    },
    firstDivergence,
    registers,
    devices,
    structures,
    moves: movesTouched,
    hunkCount,
    hunksPage,
  };
}

const diffCount = (s: CompareCounts): number => s.valueDiffers + s.onlyA + s.onlyB + s.pollCountDiffers;

const countsAt = (perReg: Int32Array, s: number): CompareCounts => ({
  equal: perReg[s * 5],
  valueDiffers: perReg[s * 5 + 1],
  onlyA: perReg[s * 5 + 2],
  onlyB: perReg[s * 5 + 3],
  pollCountDiffers: perReg[s * 5 + 4],
});

function addCounts(to: CompareCounts, c: CompareCounts): void {
  to.equal += c.equal;
  to.valueDiffers += c.valueDiffers;
  to.onlyA += c.onlyA;
  to.onlyB += c.onlyB;
  to.pollCountDiffers += c.pollCountDiffers;
}

const zero = (): CompareCounts => ({ equal: 0, valueDiffers: 0, onlyA: 0, onlyB: 0, pollCountDiffers: 0 });

/** Per device and per structure (structure-summary.ts names them), in the walk's order of first touch. */
function summarise(table: KeyTable, perReg: Int32Array, order: number[], moves: StructureMove[]): { devices: DeviceSummary[]; structures: StructureSummary[] } {
  const devices = new Map<string, DeviceSummary>();
  const structures = new Map<string, StructureSummary>();
  for (const s of order) {
    const { node, structure } = table.summaryParts(table.summaryKeyOf(s));
    const c = countsAt(perReg, s);
    let d = devices.get(node);
    if (!d) devices.set(node, (d = { node, ...zero(), moved: 0 }));
    addCounts(d, c);
    const k = `${node}\u0000${structure}`;
    let st = structures.get(k);
    if (!st) structures.set(k, (st = { node, structure, ...zero() }));
    addCounts(st, c);
  }
  for (const m of moves) {
    const st = structures.get(`${m.node}\u0000${m.structure}`);
    if (!st) continue; // a structure neither trace touched
    st.moved = { region: m.region, a: m.a, b: m.b };
    devices.get(m.node)!.moved++;
  }
  return { devices: [...devices.values()], structures: [...structures.values()] };
}

/** One side's streams (by id) as one set of columns: stream ids[0]'s entries, then ids[1]'s, … */
function concat(parts: (NormalisedTrace | undefined)[], ids: readonly number[]): NormalisedTrace & { offset: Int32Array; entries?: number } {
  const offset = new Int32Array(parts.length + 1);
  let n = 0;
  let events = 0;
  for (const s of ids) {
    offset[s] = n;
    n += parts[s]?.length ?? 0;
    events += parts[s]?.events ?? 0;
  }
  if (ids.length === 1 && parts[ids[0]]) return { ...parts[ids[0]]!, events, offset };
  // The columnar path wrote every stream into one set of columns (normalise.ts ScanOutputs): use them as they
  // are, each stream at its own offset (entries between streams are never visited: the walk reaches entries
  // only through the streams' alignments).
  const present = ids.map((s) => parts[s]).filter((p): p is NormalisedTrace => p !== undefined && p.length > 0);
  const buf = present[0]?.key.buffer;
  if (buf && present.every((p) => p.key.buffer === buf)) {
    const whole = (a: Float64Array | Uint32Array | Int32Array | Uint8Array, bytes: number) => ({ buffer: a.buffer, at: a.byteOffset / bytes });
    let end = 0;
    for (const s of ids) {
      const p = parts[s];
      if (!p || p.length === 0) continue;
      offset[s] = whole(p.key, 8).at;
      end = Math.max(end, offset[s] + p.length);
    }
    const p0 = present[0];
    const base = <T extends Float64Array | Uint32Array | Int32Array | Uint8Array>(a: T, make: (b: ArrayBufferLike, n: number) => T): T => make(a.buffer, end);
    return {
      length: end,
      key: base(p0.key, (b, n) => new Float64Array(b, 0, n)),
      valueLo: base(p0.valueLo, (b, n) => new Uint32Array(b, 0, n)),
      valueHi: base(p0.valueHi, (b, n) => new Uint32Array(b, 0, n)),
      status: base(p0.status, (b, n) => new Uint8Array(b, 0, n)),
      sid: base(p0.sid, (b, n) => new Int32Array(b, 0, n)),
      count: base(p0.count, (b, n) => new Uint32Array(b, 0, n)),
      progress: base(p0.progress, (b, n) => new Uint8Array(b, 0, n)),
      pos: base(p0.pos, (b, n) => new Uint32Array(b, 0, n)),
      events,
      offset,
      entries: n,
    };
  }
  const out = {
    length: n,
    key: new Float64Array(n),
    valueLo: new Uint32Array(n),
    valueHi: new Uint32Array(n),
    status: new Uint8Array(n),
    sid: new Int32Array(n),
    count: new Uint32Array(n),
    progress: new Uint8Array(n),
    pos: new Uint32Array(n),
    events,
    offset,
  };
  for (const s of ids) {
    const p = parts[s];
    if (!p) continue;
    const at = offset[s];
    out.key.set(p.key, at);
    out.valueLo.set(p.valueLo, at);
    out.valueHi.set(p.valueHi, at);
    out.status.set(p.status, at);
    out.sid.set(p.sid, at);
    out.count.set(p.count, at);
    out.progress.set(p.progress, at);
    out.pos.set(p.pos, at);
  }
  return out;
}

interface Merged {
  matched: number;
  /** Feed the walker every entry in display order. */
  walk(w: Walker): void;
}

/**
 * Align each stream on its own (align.ts), then merge for display: A's entries in A's recorded order, each
 * matched B entry beside its A entry, and B's unmatched entries just before the next A entry of their stream
 * (after A's last one: at the end, in B's order). In 'global' mode this is the alignment's own order.
 */
function alignStreams(
  ids: readonly number[],
  sa: (NormalisedTrace | undefined)[],
  sb: (NormalisedTrace | undefined)[],
  na: NormalisedTrace & { offset: Int32Array; entries?: number },
  nb: NormalisedTrace & { offset: Int32Array; entries?: number },
  eventsA: number,
): Merged {
  const aAt = new Int32Array(eventsA + 1).fill(-1);
  // Stream by stream: between streams the columns may hold stale entries of folded loops (concat).
  for (const s of ids) {
    const from = na.offset[s];
    const to = from + (sa[s]?.length ?? 0);
    for (let e = from; e < to; e++) aAt[na.pos[e]] = e;
  }
  const matchB = new Int32Array(na.length).fill(-1);
  const bHead = new Int32Array(eventsA + 1).fill(-1);
  const bTail = new Int32Array(eventsA + 1).fill(-1);
  const bNext = new Int32Array(nb.length).fill(-1);
  const atEnd: number[] = [];
  let matched = 0;
  for (const s of ids) {
    const A = sa[s];
    const B = sb[s];
    const lenA = A?.length ?? 0;
    const lenB = B?.length ?? 0;
    const offA = na.offset[s];
    const offB = nb.offset[s];
    if (lenB === 0) continue;
    if (lenA === 0) {
      for (let j = 0; j < lenB; j++) atEnd.push(offB + j);
      continue;
    }
    const runs = alignKeys(A!.key, B!.key);
    let i = 0;
    let j = 0;
    for (let r = 0; r < runs.op.length; r++) {
      const op = runs.op[r];
      const len = runs.len[r];
      if (op === 0) {
        for (let t = 0; t < len; t++) matchB[offA + i + t] = offB + j + t;
        matched += len;
        i += len;
        j += len;
      } else if (op === 1) i += len;
      else {
        if (i >= lenA) for (let t = 0; t < len; t++) atEnd.push(offB + j + t);
        else {
          const anchor = A!.pos[i];
          for (let t = 0; t < len; t++) {
            const g = offB + j + t;
            if (bTail[anchor] < 0) bHead[anchor] = g;
            else bNext[bTail[anchor]] = g;
            bTail[anchor] = g;
          }
        }
        j += len;
      }
    }
  }
  atEnd.sort((x, y) => nb.pos[x] - nb.pos[y]);
  return {
    matched,
    walk(w: Walker): void {
      for (let p = 0; p < eventsA; p++) {
        for (let g = bHead[p]; g >= 0; g = bNext[g]) w.addOnlyB(g);
        const e = aAt[p];
        if (e < 0) continue;
        const m = matchB[e];
        if (m >= 0) w.matched(e, m);
        else w.addOnlyA(e);
      }
      for (const g of atEnd) w.addOnlyB(g);
    },
  };
}

class Walker {
  readonly perReg: Int32Array;
  private readonly touched: Uint8Array;
  readonly order: number[] = [];
  readonly opKind = new IntColumn();
  readonly opA = new IntColumn();
  readonly opB = new IntColumn();
  /** Index in op* where each hunk (a run of consecutive non-equal entries) starts. */
  readonly hunkStart = new IntColumn();
  private inHunk = false;
  equal = 0;
  valueDiffers = 0;
  pollCountDiffers = 0;
  onlyA = 0;
  onlyB = 0;

  constructor(
    private readonly na: NormalisedTrace,
    private readonly nb: NormalisedTrace,
    nSid: number,
  ) {
    this.perReg = new Int32Array(nSid * 5);
    this.touched = new Uint8Array(nSid);
  }

  private touch(s: number): void {
    this.touched[s] = 1;
    this.order.push(s);
  }

  private diff(kind: number, ia: number, ib: number): void {
    if (!this.inHunk) {
      this.hunkStart.push(this.opKind.length);
      this.inHunk = true;
    }
    this.opKind.push(kind);
    this.opA.push(ia);
    this.opB.push(ib);
  }

  /** Aligned entries A[i] and B[j] (same key): compare values (two uint32 halves and the status). */
  matched(i: number, j: number): void {
    const na = this.na;
    const nb = this.nb;
    const s = na.sid[i];
    if (this.touched[s] === 0) this.touch(s);
    if (na.valueLo[i] === nb.valueLo[j] && na.valueHi[i] === nb.valueHi[j] && na.status[i] === nb.status[j]) {
      // A loop that waited on masked state (its reads changed in masked bits only, on either side) is "poll
      // until done": how many reads it took is as timing-dependent as that state (options.ts foldPolls).
      if (na.count[i] === nb.count[j] || na.progress[i] === 1 || nb.progress[j] === 1) {
        this.equal++;
        this.perReg[s * 5]++;
        this.inHunk = false;
        return;
      }
      this.pollCountDiffers++;
      this.perReg[s * 5 + 4]++;
      this.diff(K_POLL, i, j);
    } else {
      this.valueDiffers++;
      this.perReg[s * 5 + 1]++;
      this.diff(K_VALUE, i, j);
    }
  }

  addOnlyA(i: number): void {
    const s = this.na.sid[i];
    if (this.touched[s] === 0) this.touch(s);
    this.perReg[s * 5 + 2]++;
    this.onlyA++;
    this.diff(K_ONLY_A, i, -1);
  }

  addOnlyB(j: number): void {
    const s = this.nb.sid[j];
    if (this.touched[s] === 0) this.touch(s);
    this.perReg[s * 5 + 3]++;
    this.onlyB++;
    this.diff(K_ONLY_B, -1, j);
  }
}

/** Materialises diff items (events fetched from the sources, decoded with each side's layout). */
class ItemBuilder {
  constructor(
    private readonly srcA: TraceSource,
    private readonly srcB: TraceSource,
    private readonly na: NormalisedTrace,
    private readonly nb: NormalisedTrace,
    private readonly idxA: LayoutIndex | undefined,
    private readonly idxB: LayoutIndex | undefined,
    private readonly resolve: BlockResolver,
    private readonly masks: FieldMasks,
  ) {}

  private side(src: TraceSource, n: NormalisedTrace, idx: LayoutIndex | undefined, e: number): SideView {
    const event = src.events(n.pos[e], n.pos[e] + 1)[0];
    const decoded = decodeEvent(event, idx ?? EMPTY_LAYOUT, this.resolve);
    return { seq: event.seq, count: n.count[e], event, decoded };
  }

  item(kind: number, ia: number, ib: number): DiffItem {
    const a = ia >= 0 ? this.side(this.srcA, this.na, this.idxA, ia) : undefined;
    const b = ib >= 0 ? this.side(this.srcB, this.nb, this.idxB, ib) : undefined;
    const k = KIND_NAMES[kind];
    const item: DiffItem = { kind: k, text: '' };
    if (a) item.a = a;
    if (b) item.b = b;
    if (k === 'value') item.fields = this.fieldDiffs(a!, b!);
    item.text = describe(item);
    return item;
  }

  private fieldDiffs(a: SideView, b: SideView): FieldDiff[] {
    const ea = a.event;
    const eb = b.event;
    if (ea.kind !== 'access' || eb.kind !== 'access') {
      const text = (e: TraceEvent): string =>
        e.kind === 'mailbox' ? `${e.returnName}|${e.inputHex}|${e.outputHex}` : e.kind === 'step' ? e.verdict : '';
      return [{ name: ea.kind === 'step' ? 'verdict' : 'result', a: 0n, b: 0n, masked: false, aText: text(ea), bText: text(eb) }];
    }
    const out: FieldDiff[] = [];
    if (ea.status !== eb.status) out.push({ name: 'status', a: BigInt(STATUS_ORDER.indexOf(ea.status)), b: BigInt(STATUS_ORDER.indexOf(eb.status)), masked: false });
    const fa = a.decoded.fields;
    const fb = new Map(b.decoded.fields.map((f) => [f.name, f.value]));
    if (fa.length === 0 && b.decoded.fields.length === 0) {
      if (ea.value !== eb.value) out.push({ name: 'value', a: ea.value, b: eb.value, masked: false });
      return out;
    }
    const hits = this.idxA ? this.idxA.overlapping(ea.node, ea.region, ea.offset, ea.width) : [];
    for (const f of fa) {
      const vb = fb.get(f.name);
      if (vb === undefined || vb === f.value) continue;
      const masked = hits.some((h) => h.register.fields.some((d) => d.name === f.name) && this.masks.masked(h, f.name));
      out.push({ name: f.name, a: f.value, b: vb, masked });
    }
    return out;
  }
}

const STATUS_ORDER = ['ok', 'unclaimed', 'bad-access', 'timeout', 'link-error'];
const EMPTY_LAYOUT: Layout = [];

function describe(item: DiffItem): string {
  const where = (item.a ?? item.b)!.decoded.text.split(' · ').slice(0, 3).join(' · ');
  const n = (s: SideView): string => (s.count > 1 ? ` ×${s.count}` : '');
  switch (item.kind) {
    case 'only-a':
      return `only in A: #${item.a!.seq} ${item.a!.decoded.text}${n(item.a!)}`;
    case 'only-b':
      return `only in B: #${item.b!.seq} ${item.b!.decoded.text}${n(item.b!)}`;
    case 'poll-count':
      return `poll count differs: ${where}: A ×${item.a!.count} (#${item.a!.seq}), B ×${item.b!.count} (#${item.b!.seq})`;
    default: {
      const fs = (item.fields ?? [])
        .filter((f) => !f.masked)
        .map((f) => {
          return f.aText !== undefined ? `${f.name} ${f.aText} ≠ ${f.bText}` : `${f.name} 0x${f.a.toString(16)} ≠ 0x${f.b.toString(16)}`;
        });
      return `value differs: ${where}: ${fs.join(', ')} (A #${item.a!.seq}, B #${item.b!.seq})`;
    }
  }
}
