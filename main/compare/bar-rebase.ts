// compare.run { rebase: true }: line up accesses a trace recorded at absolute addresses (a QEMU log's
// memory_region_ops, a CSV from another tool) with BAR-relative ones, by finding in the trace itself where
// firmware put each BAR. PCI BAR sizing (PCI 3.0 6.2.5.1): software writes all-ones to a BAR and reads back the
// size mask (low 4 bits are flags; bits 2:1 = 10b mark a 64-bit BAR whose upper half is the next BAR), then
// writes the base. The last base written to a sized memory BAR becomes a rule moving region 'hpa' accesses in
// [base, base + size) to that node's BAR, offset - base (trace/compare/options.ts RebaseRule).

import type { Region } from '../../common/access.js';
import { iterateSource, type TraceSource } from '../../trace/event.js';
import type { RebaseRule } from '../../trace/compare/index.js';

const BAR0 = 0x10;
const BAR_COUNT = 6;
const ONES = 0xffff_ffffn;

interface BarState {
  sizingLo: boolean;
  maskLo: bigint | null;
  sizingHi: boolean;
  maskHi: bigint | null;
  baseLo: bigint | null;
  baseHi: bigint;
}

const fresh = (): BarState => ({ sizingLo: false, maskLo: null, sizingHi: false, maskHi: null, baseLo: null, baseHi: 0n });

/** Rebase rules for every memory BAR the trace sized and programmed (32-bit config accesses to 10h-24h). */
export function barRebaseRules(src: TraceSource): RebaseRule[] {
  const bars = new Map<string, BarState[]>();
  const of = (node: string): BarState[] => {
    let b = bars.get(node);
    if (!b) bars.set(node, (b = Array.from({ length: BAR_COUNT }, fresh)));
    return b;
  };
  for (const e of iterateSource(src)) {
    if (e.kind !== 'access' || e.space !== 'cfg' || e.width !== 4 || e.status !== 'ok') continue;
    const i = (e.offset - BAR0) / 4;
    if (!Number.isInteger(i) || i < 0 || i >= BAR_COUNT) continue;
    const node = of(e.node);
    const cur = node[i];
    // The upper half of a 64-bit BAR is BAR i while BAR i-1's low half says 64-bit.
    const low = i > 0 ? node[i - 1] : null;
    const upperOf64 = low !== null && low.maskLo !== null && ((low.maskLo >> 1n) & 3n) === 2n;
    if (e.op === 'W') {
      if (upperOf64) {
        low!.sizingHi = e.value === ONES;
        if (e.value !== ONES) low!.baseHi = e.value;
      } else {
        cur.sizingLo = e.value === ONES;
        if (e.value !== ONES) cur.baseLo = e.value;
      }
    } else if (upperOf64 && low!.sizingHi) {
      low!.maskHi = e.value;
      low!.sizingHi = false;
    } else if (!upperOf64 && cur.sizingLo) {
      cur.maskLo = e.value;
      cur.sizingLo = false;
    }
  }
  const rules: RebaseRule[] = [];
  for (const [node, list] of bars) {
    list.forEach((b, i) => {
      if (b.maskLo === null || b.baseLo === null || (b.maskLo & 1n) !== 0n) return; // unsized, unset or an I/O BAR
      const is64 = ((b.maskLo >> 1n) & 3n) === 2n;
      const mask = ((is64 ? (b.maskHi ?? ONES) : ONES) << 32n) | (b.maskLo & 0xffff_fff0n);
      const size = ((~mask + 1n) & ((1n << 64n) - 1n)) & (is64 ? (1n << 64n) - 1n : ONES);
      const base = ((is64 ? b.baseHi : 0n) << 32n) | (b.baseLo & 0xffff_fff0n);
      if (size === 0n || base === 0n || base + size > BigInt(Number.MAX_SAFE_INTEGER)) return;
      rules.push({ region: 'hpa', base: Number(base), size: Number(size), to: { node, space: 'mmio', region: `bar${i}` as Region } });
    });
  }
  return rules;
}
