// Normalise one side of a comparison (DESIGN.md 5) into columns the aligner can run over: time dropped, node
// names mapped A→B, absolute addresses rebased onto BARs, masked bits cleared, and poll loops folded (N
// identical consecutive reads of one register become one entry with count N; the read that differs is kept).

import { allOnes, type AccessStatus, type Region, type Space } from '../../common/access.js';
import type { TraceEvent, TraceSource } from '../event.js';
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
  /** Class id for offset keys (unnamed), -1 until first needed. */
  offsetClass: number;
}

const STATUS_CODE: Record<AccessStatus, number> = { ok: 0, unclaimed: 1, 'bad-access': 2, timeout: 3, 'link-error': 4 };
const SPACE_CODE: Record<Space, number> = { cfg: 0, mmio: 1, mem: 2 };
const REGION_CODE: Record<Region, number> = { cfg: 0, bar0: 1, bar1: 2, bar2: 3, bar3: 4, bar4: 5, bar5: 6, chbcr: 7, hpa: 8 };
const WIDTH_CODE = [0, 0, 1, 0, 2, 0, 0, 0, 3];
const U32 = 0xffffffffn;
const PAGE = 8192;

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
  private readonly memSlot: Slot = { key: 0, maskLo: 0xffffffff, maskHi: 0xffffffff };

  constructor(private readonly cfg: SideConfig) {}

  private mapNode(node: string): string {
    return this.cfg.nodeMap?.[node] ?? node;
  }

  private slotFor(p: Place, op: 'R' | 'W', width: number): Slot {
    let perNode = this.cache.get(p.node);
    if (!perNode) this.cache.set(p.node, (perNode = []));
    const si = ((SPACE_CODE[p.space] * 16 + REGION_CODE[p.region]) * 2 + (op === 'W' ? 1 : 0)) * 4 + WIDTH_CODE[width];
    let cs = perNode[si];
    if (!cs) perNode[si] = cs = { byOffset: new Map(), offsetClass: -1 };
    const { table, index, masks } = this.cfg;
    const node = this.mapNode(p.node);
    const base = { kind: 'access' as const, node, space: p.space, region: p.region, op, width };
    if (cs.offsetClass < 0) cs.offsetClass = table.classId({ ...base, named: false });
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

  run(src: TraceSource): NormalisedTrace {
    const cap = src.count;
    const key = new Float64Array(cap);
    const valueLo = new Uint32Array(cap);
    const valueHi = new Uint32Array(cap);
    const status = new Uint8Array(cap);
    const count = new Uint32Array(cap);
    const pos = new Float64Array(cap);
    const { table, masks, fold } = this.cfg;
    const rules = this.cfg.rebase ?? [];
    let n = 0;
    let prevFoldable = false;
    for (let from = 0; from < cap; from += PAGE) {
      const page: TraceEvent[] = src.events(from, Math.min(cap, from + PAGE));
      for (let j = 0; j < page.length; j++) {
        const e = page[j];
        let k: number;
        let lo: number;
        let hi = 0;
        let st = 0;
        let foldable = false;
        if (e.kind === 'access') {
          const p = rules.length ? rebase(rules, e) : e;
          const slot = this.slotFor(p, e.op, e.width);
          k = slot.key;
          const v = e.value;
          if (v <= U32) lo = (Number(v) & slot.maskLo) >>> 0;
          else {
            lo = (Number(v & U32) & slot.maskLo) >>> 0;
            hi = (Number((v >> 32n) & U32) & slot.maskHi) >>> 0;
          }
          st = STATUS_CODE[e.status];
          foldable = fold && e.op === 'R';
        } else if (e.kind === 'mailbox') {
          const node = this.mapNode(e.node);
          const cls = table.classId({ kind: 'mailbox', node, space: '', region: '', op: '', width: 0, named: false });
          k = table.key(cls, e.opcode);
          const out = masks.mailboxOutputs.has(e.opcode) ? '*' : e.outputHex;
          lo = table.valueId(`${e.returnCode}|${e.inputHex}|${out}`);
        } else {
          const cls = table.classId({ kind: 'step', node: '', space: '', region: '', op: '', width: 0, named: true });
          k = table.key(cls, table.nameId(`${e.sequence} / ${e.name}`));
          lo = table.valueId(e.verdict);
        }
        if (foldable && prevFoldable && key[n - 1] === k && valueLo[n - 1] === lo && valueHi[n - 1] === hi && status[n - 1] === st) {
          count[n - 1]++;
          continue;
        }
        key[n] = k;
        valueLo[n] = lo;
        valueHi[n] = hi;
        status[n] = st;
        count[n] = 1;
        pos[n] = from + j;
        prevFoldable = foldable;
        n++;
      }
    }
    return {
      length: n,
      key: key.subarray(0, n),
      valueLo: valueLo.subarray(0, n),
      valueHi: valueHi.subarray(0, n),
      status: status.subarray(0, n),
      count: count.subarray(0, n),
      pos: pos.subarray(0, n),
      events: cap,
    };
  }
}
