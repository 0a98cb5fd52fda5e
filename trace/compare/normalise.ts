// Normalise one side of a comparison (DESIGN.md 5) into columns the aligner can run over: time dropped, node
// names mapped A→B, absolute addresses rebased onto BARs, masked bits cleared, and poll loops folded (N
// identical consecutive reads of one register become one entry with count N; the read that differs is kept).

import { allOnes, type AccessStatus, type Region, type Space } from '../../common/access.js';
import { REGIONS, SPACES } from '../../common/access.js';
import { isColumnar, type ColumnarSource, type MailboxEvent, type StepEvent, type TraceEvent, type TraceSource } from '../event.js';
import type { LayoutIndex } from '../layout-index.js';
import type { FieldMasks } from './field-masks.js';
import type { KeyTable } from './key-table.js';
import type { RebaseRule } from './options.js';

export interface NormalisedTrace {
  length: number;
  key: Float64Array;
  valueLo: Uint32Array;
  valueHi: Uint32Array;
  status: Uint8Array;
  /** How many source events this entry stands for (> 1 for a folded poll loop). */
  count: Uint32Array;
  /** Position in the source of the entry's first event. */
  pos: Float64Array;
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
}

interface Slot {
  key: number;
  maskLo: number;
  maskHi: number;
}

/** Everything known about one (node, space, region, op, width) class on this side. */
interface ClassSlots {
  byOffset: Map<number, Slot>;
  /** Class id for offset keys (unnamed). */
  offsetClass: number;
}

const STATUS_CODE: Record<AccessStatus, number> = { ok: 0, unclaimed: 1, 'bad-access': 2, timeout: 3, 'link-error': 4 };
const SPACE_CODE: Record<Space, number> = { cfg: 0, mmio: 1, mem: 2 };
const REGION_CODE: Record<Region, number> = { cfg: 0, bar0: 1, bar1: 2, bar2: 3, bar3: 4, bar4: 5, bar5: 6, chbcr: 7, hpa: 8 };
const WIDTH_CODE = [0, 0, 1, 0, 2, 0, 0, 0, 3];
const U32 = 0xffffffffn;
const PAGE = 8192;
const SPACE_LIST = SPACES;
const REGION_LIST = REGIONS;

/** Collects entries, folding poll loops: a read equal (key, value, status) to the read just before it. */
class Builder {
  key: Float64Array;
  valueLo: Uint32Array;
  valueHi: Uint32Array;
  status: Uint8Array;
  count: Uint32Array;
  pos: Float64Array;
  n = 0;
  private prevFoldable = false;

  constructor(
    private readonly cap: number,
    private readonly fold: boolean,
  ) {
    this.key = new Float64Array(cap);
    this.valueLo = new Uint32Array(cap);
    this.valueHi = new Uint32Array(cap);
    this.status = new Uint8Array(cap);
    this.count = new Uint32Array(cap);
    this.pos = new Float64Array(cap);
  }

  push(k: number, lo: number, hi: number, st: number, isRead: boolean, at: number): void {
    const n = this.n;
    const foldable = this.fold && isRead;
    if (foldable && this.prevFoldable && this.key[n - 1] === k && this.valueLo[n - 1] === lo && this.valueHi[n - 1] === hi && this.status[n - 1] === st) {
      this.count[n - 1]++;
      return;
    }
    this.key[n] = k;
    this.valueLo[n] = lo;
    this.valueHi[n] = hi;
    this.status[n] = st;
    this.count[n] = 1;
    this.pos[n] = at;
    this.prevFoldable = foldable;
    this.n = n + 1;
  }

  finish(): NormalisedTrace {
    const n = this.n;
    return {
      length: n,
      key: this.key.subarray(0, n),
      valueLo: this.valueLo.subarray(0, n),
      valueHi: this.valueHi.subarray(0, n),
      status: this.status.subarray(0, n),
      count: this.count.subarray(0, n),
      pos: this.pos.subarray(0, n),
      events: this.cap,
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
  private readonly mailboxClass = new Map<string, number>();
  private stepClass: number | undefined;
  private readonly memSlot: Slot = { key: 0, maskLo: 0xffffffff, maskHi: 0xffffffff };

  constructor(private readonly cfg: SideConfig) {}

  private mapNode(node: string): string {
    return this.cfg.nodeMap?.[node] ?? node;
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
      perNode[si] = cs = { byOffset: new Map(), offsetClass };
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
      this.memSlot.key = table.key(cs.offsetClass, p.offset);
      return this.memSlot;
    }
    let slot = cs.byOffset.get(p.offset);
    if (slot) return slot;
    const hits = !index ? [] : index.overlapping(p.node, p.region, p.offset, width);
    if (hits.length === 0) {
      slot = { key: table.key(cs.offsetClass, p.offset), maskLo: 0xffffffff, maskHi: 0xffffffff };
    } else {
      const delta = p.offset - hits[0].base;
      const name = `${hits[0].block.name} · ${hits.map((h) => h.register.name).join(' + ')}${delta ? ` +${delta}` : ''}`;
      const keep = ~masks.accessMask(hits, p.offset, width) & allOnes(8);
      slot = {
        key: table.key(table.classId({ ...base, named: true }), table.nameId(name)),
        maskLo: Number(keep & U32),
        maskHi: Number((keep >> 32n) & U32),
      };
    }
    cs.byOffset.set(p.offset, slot);
    return slot;
  }

  /** Key and compared value of a mailbox or step event. */
  private recordKey(e: MailboxEvent | StepEvent): [number, number] {
    const { table, masks } = this.cfg;
    if (e.kind === 'mailbox') {
      let cls = this.mailboxClass.get(e.node);
      if (cls === undefined) {
        cls = table.classId({ kind: 'mailbox', node: this.mapNode(e.node), space: '', region: '', op: '', width: 0, named: false });
        this.mailboxClass.set(e.node, cls);
      }
      const out = masks.mailboxOutputs.has(e.opcode) ? '*' : e.outputHex;
      return [table.key(cls, e.opcode), table.valueId(`${e.returnCode}|${e.inputHex}|${out}`)];
    }
    const cls = (this.stepClass ??= table.classId({ kind: 'step', node: '', space: '', region: '', op: '', width: 0, named: true }));
    return [table.key(cls, table.nameId(`${e.sequence} / ${e.name}`)), table.valueId(e.verdict)];
  }

  run(src: TraceSource): NormalisedTrace {
    return isColumnar(src) && !this.cfg.rebase?.length ? this.runColumns(src) : this.runEvents(src);
  }

  /** The same as runEvents, straight from a TraceBuffer's columns (no event objects for accesses). */
  private runColumns(src: ColumnarSource): NormalisedTrace {
    const cols = src.columns();
    const cap = cols.count;
    const out = new Builder(cap, this.cfg.fold);
    const { node, code, offset, valueLo, valueHi, nodes } = cols;
    const table = this.cfg.table;
    // Per (node id, space, region, op, width): the class slots and a place template for misses.
    const perClass = new Map<number, { cs: ClassSlots; place: Place; op: 'R' | 'W'; width: number; hpa: boolean }>();
    for (let i = 0; i < cap; i++) {
      const c = code[i];
      if ((c & 3) !== 0) {
        const [k, lo] = this.recordKey(src.events(i, i + 1)[0] as MailboxEvent | StepEvent);
        out.push(k, lo, 0, 0, false, i);
        continue;
      }
      const ck = node[i] * 16384 + (c & 0x31fc); // packed-codes.ts: space, region, op, width
      let pc = perClass.get(ck);
      if (!pc) {
        const place: Place = { node: nodes[node[i]], space: SPACE_LIST[(c >> 2) & 3], region: REGION_LIST[(c >> 4) & 15], offset: 0 };
        const op = (c & 0x100) !== 0 ? 'W' : 'R';
        const width = 1 << ((c >> 12) & 3);
        pc = { cs: this.classSlots(place, op, width), place, op, width, hpa: place.region === 'hpa' };
        perClass.set(ck, pc);
      }
      const off = offset[i];
      let k: number;
      let lo = valueLo[i];
      let hi = valueHi[i];
      if (pc.hpa) k = table.key(pc.cs.offsetClass, off);
      else {
        let slot = pc.cs.byOffset.get(off);
        if (!slot) {
          pc.place.offset = off;
          slot = this.slotFor(pc.place, pc.op, pc.width);
        }
        k = slot.key;
        lo = (lo & slot.maskLo) >>> 0;
        hi = (hi & slot.maskHi) >>> 0;
      }
      out.push(k, lo, hi, (c >> 9) & 7, (c & 0x100) === 0, i);
    }
    return out.finish();
  }

  private runEvents(src: TraceSource): NormalisedTrace {
    const cap = src.count;
    const out = new Builder(cap, this.cfg.fold);
    const rules = this.cfg.rebase ?? [];
    for (let from = 0; from < cap; from += PAGE) {
      const page: TraceEvent[] = src.events(from, Math.min(cap, from + PAGE));
      for (let j = 0; j < page.length; j++) {
        const e = page[j];
        if (e.kind !== 'access') {
          const [k, lo] = this.recordKey(e);
          out.push(k, lo, 0, 0, false, from + j);
          continue;
        }
        const p = rules.length ? rebase(rules, e) : e;
        const slot = this.slotFor(p, e.op, e.width);
        const v = e.value;
        let lo: number;
        let hi = 0;
        if (v <= U32) lo = (Number(v) & slot.maskLo) >>> 0;
        else {
          lo = (Number(v & U32) & slot.maskLo) >>> 0;
          hi = (Number((v >> 32n) & U32) & slot.maskHi) >>> 0;
        }
        out.push(slot.key, lo, hi, STATUS_CODE[e.status], e.op === 'R', from + j);
      }
    }
    return out.finish();
  }
}
