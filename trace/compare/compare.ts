// compareTraces (DESIGN.md 5): normalise both sides, align on keys, compare aligned values, and report the
// first divergence, counts per kind, a per-register summary and hunks (pages of them, decoded on demand).

import type { Layout } from '../../common/layout.js';
import { decodeEvent, type DecodedEvent } from '../decode.js';
import { arraySource, type TraceEvent, type TraceSource } from '../event.js';
import { LayoutIndex, layoutIndex, type BlockResolver } from '../layout-index.js';
import { alignKeys, type RunList } from './align.js';
import { FieldMasks } from './field-masks.js';
import { KeyTable } from './key-table.js';
import { Normaliser, type NormalisedTrace } from './normalise.js';
import type { CompareOptions } from './options.js';

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
  const na = new Normaliser({ table, index: idxA, masks, nodeMap: options.nodeMap, rebase: options.rebaseA, fold }).run(srcA);
  const nb = new Normaliser({ table, index: idxB, masks, rebase: options.rebaseB, fold }).run(srcB);

  const runs = alignKeys(na.key, nb.key);

  const walked = walkRuns(runs, na, nb, table.summaryCount);
  const { counts, perReg, order, opKind, opA, opB, hunkStart } = walked;

  const registers: RegisterSummary[] = order.map((s) => ({
    register: table.summaryLabel(table.summaryKeyOf(s)),
    equal: perReg[s * 5],
    valueDiffers: perReg[s * 5 + 1],
    onlyA: perReg[s * 5 + 2],
    onlyB: perReg[s * 5 + 3],
    pollCountDiffers: perReg[s * 5 + 4],
  }));
  const diffs = (s: CompareCounts): number => s.valueDiffers + s.onlyA + s.onlyB + s.pollCountDiffers;
  registers.sort((x, y) => diffs(y) - diffs(x) || (x.register < y.register ? -1 : x.register > y.register ? 1 : 0));

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

  return {
    equal: opKind.length === 0,
    counts,
    events: { a: na.events, b: nb.events, entriesA: na.length, entriesB: nb.length },
    firstDivergence,
    registers,
    hunkCount,
    hunksPage,
  };
}

interface Walked {
  counts: CompareCounts;
  /** [equal, value, onlyA, onlyB, poll] per summary id. */
  perReg: Int32Array;
  /** Summary ids in the order the walk first touches them. */
  order: number[];
  opKind: IntColumn;
  opA: IntColumn;
  opB: IntColumn;
  /** Index in op* where each hunk (a run of consecutive non-equal entries) starts. */
  hunkStart: IntColumn;
}

/**
 * Walk the alignment: compare aligned entries' values (two uint32 halves and the status), count per kind and
 * per register (the memory path: one bucket per node and op, not per address), and record every non-equal
 * entry as a diff op. Each run of the alignment is one method call, so the engine optimises the per-entry
 * loops after a few runs instead of waiting to replace one long-running loop.
 */
function walkRuns(runs: RunList, na: NormalisedTrace, nb: NormalisedTrace, nSid: number): Walked {
  const w = new Walker(na, nb, nSid);
  let i = 0;
  let j = 0;
  for (let r = 0; r < runs.op.length; r++) {
    const op = runs.op[r];
    const len = runs.len[r];
    if (op === 0) {
      w.matched(i, j, len);
      i += len;
      j += len;
    } else if (op === 1) {
      w.only(na.sid, i, len, 2, K_ONLY_A);
      i += len;
    } else {
      w.only(nb.sid, j, len, 3, K_ONLY_B);
      j += len;
    }
  }
  return {
    counts: { equal: w.equal, valueDiffers: w.valueDiffers, onlyA: w.onlyA, onlyB: w.onlyB, pollCountDiffers: w.pollCountDiffers },
    perReg: w.perReg,
    order: w.order,
    opKind: w.opKind,
    opA: w.opA,
    opB: w.opB,
    hunkStart: w.hunkStart,
  };
}

class Walker {
  readonly perReg: Int32Array;
  private readonly touched: Uint8Array;
  readonly order: number[] = [];
  readonly opKind = new IntColumn();
  readonly opA = new IntColumn();
  readonly opB = new IntColumn();
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

  /** Aligned entries A[i..i+len) and B[j..j+len) (same keys). */
  matched(i: number, j: number, len: number): void {
    const { sid, valueLo: loA, valueHi: hiA, status: stA, count: cntA, progress: prA } = this.na;
    const { valueLo: loB, valueHi: hiB, status: stB, count: cntB, progress: prB } = this.nb;
    const { perReg, touched } = this;
    let equal = 0;
    for (let t = 0; t < len; t++, i++, j++) {
      const s = sid[i];
      if (touched[s] === 0) this.touch(s);
      if (loA[i] === loB[j] && hiA[i] === hiB[j] && stA[i] === stB[j]) {
        // A loop that waited on masked state (its reads changed in masked bits only, on either side) is "poll
        // until done": how many reads it took is as timing-dependent as that state (options.ts foldPolls).
        if (cntA[i] === cntB[j] || prA[i] === 1 || prB[j] === 1) {
          equal++;
          perReg[s * 5]++;
          this.inHunk = false;
          continue;
        }
        this.pollCountDiffers++;
        perReg[s * 5 + 4]++;
        this.diff(K_POLL, i, j);
      } else {
        this.valueDiffers++;
        perReg[s * 5 + 1]++;
        this.diff(K_VALUE, i, j);
      }
    }
    this.equal += equal;
  }

  /** Entries [from, from+len) of one side only (slot 2 / kind only-a for A, 3 / only-b for B). */
  only(sid: Int32Array, from: number, len: number, slot: number, kind: number): void {
    const { perReg, touched } = this;
    for (let x = from; x < from + len; x++) {
      const s = sid[x];
      if (touched[s] === 0) this.touch(s);
      perReg[s * 5 + slot]++;
      this.diff(kind, kind === K_ONLY_A ? x : -1, kind === K_ONLY_A ? -1 : x);
    }
    if (kind === K_ONLY_A) this.onlyA += len;
    else this.onlyB += len;
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
