// Traces as a Value Change Dump (IEEE 1364 §18) for GTKWave / Surfer: one signal per register touched (by
// name when the layout knows it, else per offset), scoped node → region; the memory path as address and data
// signals per node. Each access sets its register's value (partial accesses merge their bytes) at the
// event's time; timescale 1 ns. Mailbox and step events are not signals and are left out.
//
// A VCD declares every signal before the first value change, so export takes a TraceSource (read twice,
// page by page) and yields the file in pieces.

import { arraySource, iterateSource, type AccessEvent, type TraceEvent, type TraceSource } from '../event.js';
import { layoutIndex, type LayoutIndex } from '../layout-index.js';
import type { ExportOptions } from './event-row.js';

interface Signal {
  id: string;
  scope: string[];
  name: string;
  bits: number;
  /** Region offset of the signal's first byte (registers), for merging partial accesses. */
  base: number;
  value: bigint;
}

/** VCD identifier codes: printable ASCII 33..126, base 94. */
function idCode(n: number): string {
  let s = '';
  do {
    s += String.fromCharCode(33 + (n % 94));
    n = Math.floor(n / 94);
  } while (n > 0);
  return s;
}

const ident = (s: string): string => s.replace(/[^A-Za-z0-9_]/g, '_') || '_';

class SignalTable {
  readonly byKey = new Map<string, Signal[]>();
  readonly list: Signal[] = [];
  constructor(private readonly idx: LayoutIndex | null) {}

  private add(key: string, scope: string[], name: string, bits: number, base: number): Signal {
    const s: Signal = { id: idCode(this.list.length), scope, name, bits, base, value: 0n };
    this.list.push(s);
    this.byKey.set(key, [s]);
    return s;
  }

  /** The signals an access touches (creating them on first sight). */
  signals(e: AccessEvent): Signal[] {
    if (e.region === 'hpa') {
      const k = `${e.node}\u0000hpa`;
      const got = this.byKey.get(k);
      if (got) return got;
      const addr = this.add(k, [e.node, 'hpa'], 'address', 64, 0);
      const data = { ...addr, id: idCode(this.list.length), name: 'data' };
      this.list.push(data);
      const pair = [addr, data];
      this.byKey.set(k, pair);
      return pair;
    }
    const hits = this.idx?.overlapping(e.node, e.region, e.offset, e.width) ?? [];
    if (hits.length) {
      return hits.map((h) => {
        const k = `${e.node}\u0000${e.region}\u0000${h.base}`;
        return this.byKey.get(k)?.[0] ?? this.add(k, [e.node, e.region, h.block.name], h.register.name, h.register.width * 8, h.base);
      });
    }
    const k = `${e.node}\u0000${e.region}\u0000${e.offset}\u0000${e.width}`;
    return this.byKey.get(k) ?? [this.add(k, [e.node, e.region], `off_0x${e.offset.toString(16)}`, e.width * 8, e.offset)];
  }
}

/** Merge an access into a signal's value; returns true if the value changed. */
function apply(sig: Signal, e: AccessEvent, pair: boolean): boolean {
  let next: bigint;
  if (e.region === 'hpa') next = pair ? e.value : BigInt(e.offset);
  else {
    const shift = (e.offset - sig.base) * 8;
    const lo = Math.max(0, shift);
    const hi = Math.min(sig.bits, shift + e.width * 8);
    const placed = shift >= 0 ? e.value << BigInt(shift) : e.value >> BigInt(-shift);
    const mask = ((1n << BigInt(hi - lo)) - 1n) << BigInt(lo);
    next = (sig.value & ~mask) | (placed & mask);
  }
  if (next === sig.value) return false;
  sig.value = next;
  return true;
}

export function* exportVcd(
  src: TraceSource | readonly TraceEvent[],
  opts: ExportOptions & { date?: string } = {},
): Generator<string> {
  const source: TraceSource = Array.isArray(src) ? arraySource(src as readonly TraceEvent[]) : (src as TraceSource);
  const idx = opts.layout && opts.resolve ? layoutIndex(opts.layout, opts.resolve) : null;
  const table = new SignalTable(idx);
  for (const e of iterateSource(source)) if (e.kind === 'access') table.signals(e);

  let head = '';
  if (opts.date) head += `$date ${opts.date} $end\n`;
  head += '$version CXL Bench trace export $end\n$timescale 1ns $end\n';
  // Group signals by scope path, emit nested $scope blocks.
  const sorted = [...table.list].sort((a, b) => a.scope.join('\u0000').localeCompare(b.scope.join('\u0000')));
  let open: string[] = [];
  for (const s of sorted) {
    let common = 0;
    while (common < open.length && common < s.scope.length && open[common] === s.scope[common]) common++;
    for (let i = open.length; i > common; i--) head += '$upscope $end\n';
    for (let i = common; i < s.scope.length; i++) head += `$scope module ${ident(s.scope[i])} $end\n`;
    open = s.scope;
    head += `$var wire ${s.bits} ${s.id} ${ident(s.name)} $end\n`;
  }
  for (let i = open.length; i > 0; i--) head += '$upscope $end\n';
  head += '$enddefinitions $end\n';
  yield head;

  // Initial values: unknown until first touched.
  let init = '#0\n$dumpvars\n';
  for (const s of table.list) init += `bx ${s.id}\n`;
  yield init + '$end\n';

  for (const s of table.list) s.value = -1n; // so the first access always emits
  let lastTime = 0; // #0 opened the dump
  let chunk = '';
  for (const e of iterateSource(source)) {
    if (e.kind !== 'access') continue;
    const sigs = table.signals(e);
    let out = '';
    sigs.forEach((s, i) => {
      const first = s.value === -1n;
      if (first) s.value = 0n;
      if (apply(s, e, e.region === 'hpa' && i === 1) || first) out += `b${s.value.toString(2)} ${s.id}\n`;
    });
    if (!out) continue;
    // VCD time never goes backwards; same-time changes share one timestamp.
    const t = Math.max(lastTime, Math.round(e.timeNs));
    if (t !== lastTime) chunk += `#${t}\n`;
    lastTime = t;
    chunk += out;
    if (chunk.length > 65536) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk) yield chunk;
}
