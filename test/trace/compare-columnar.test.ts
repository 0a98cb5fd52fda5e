// The columnar compare path (TraceBuffer columns: block scan, slot cache, summary ids) gives exactly the result
// of the event path (plain event arrays) — counts, per-register summary, every hunk — for random traces and
// their edited twins, with and without layouts, masks, node maps and poll folding.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../common/clock.js';
import { regionCode, spaceCode, statusCode, type Region, type Space } from '../../common/access.js';
import { compareTraces, type CompareOptions, type CompareResult } from '../../trace/compare/index.js';
import type { TraceEvent } from '../../trace/event.js';
import { TraceBuffer } from '../../trace/trace-buffer.js';
import { COMPARE_OPTION_SETS, NODES } from './compare-inputs.js';

const placeArb = fc.constantFrom<[Space, Region, number]>(
  ['cfg', 'cfg', 0],
  ['cfg', 'cfg', 4],
  ['mmio', 'bar2', 0x84],
  ['mmio', 'bar2', 0x88],
  ['mmio', 'bar2', 0x90],
  ['mmio', 'bar2', 0x94],
  ['mmio', 'bar0', 0x1010],
  ['mmio', 'bar2', 0x208],
  ['mmio', 'bar2', 0x210],
  ['mmio', 'bar2', 0x220],
  ['mmio', 'bar2', 0x224],
  ['mem', 'hpa', 0x10_0000_0000],
  ['mem', 'hpa', 0x10_0000_0040],
  ['mem', 'hpa', 2 ** 45 + 64],
  ['mmio', 'bar4', 2 ** 44 + 8],
);

const accessArb = fc
  .record({
    node: fc.constantFrom(...NODES),
    place: placeArb,
    width: fc.constantFrom<4 | 8>(4, 8),
    op: fc.constantFrom<'R' | 'W'>('R', 'R', 'W'),
    value: fc.constantFrom(0n, 1n, 0x300n, 0x600n, 0xffff_ffffn, 0x1_0000_0001n, 0xdead_beef_0000_0010n),
    status: fc.constantFrom('ok', 'ok', 'ok', 'unclaimed' as const),
  })
  .map(({ place: [space, region, offset], width, value, ...a }): TraceEvent => ({
    kind: 'access',
    seq: 0,
    timeNs: 0,
    ...a,
    space,
    region,
    offset,
    width,
    value: width === 4 ? value & 0xffff_ffffn : value,
  }));

const recordArb = fc.oneof(
  fc.record({
    kind: fc.constant('mailbox' as const),
    seq: fc.constant(0),
    timeNs: fc.constant(0),
    node: fc.constantFrom(...NODES),
    opcode: fc.constantFrom(0x4000, 0x0300),
    name: fc.constant('op'),
    returnCode: fc.constantFrom(0, 1),
    returnName: fc.constantFrom('Success', 'Background Command Started'),
    inputHex: fc.constantFrom('', '01'),
    outputHex: fc.constantFrom('', 'aa', 'bb'),
  }),
  fc.record({
    kind: fc.constant('step' as const),
    seq: fc.constant(0),
    timeNs: fc.constant(0),
    sequence: fc.constant('s'),
    name: fc.constantFrom('a', 'b'),
    verdict: fc.constantFrom('pass', 'fail'),
    reason: fc.constant(''),
  }),
);

/** Events, some repeated in place (poll loops). */
const traceArb = fc
  .array(fc.tuple(fc.oneof({ weight: 6, arbitrary: accessArb }, recordArb), fc.nat(3)), { maxLength: 60 })
  .map((xs) => xs.flatMap(([e, repeat]) => Array.from({ length: 1 + (e.kind === 'access' ? repeat : 0) }, () => e)));

/** An edit of a trace: drop, insert or replace entries, or change an access's value, at random places. */
const editsArb = fc.array(fc.tuple(fc.constantFrom('drop', 'insert', 'replace', 'revalue', 'revalue'), fc.nat(), fc.oneof(accessArb, recordArb)), {
  maxLength: 6,
});

const applyEdits = (evs: TraceEvent[], edits: [string, number, TraceEvent][]): TraceEvent[] => {
  const out = evs.slice();
  for (const [what, at, e] of edits) {
    const i = out.length ? at % out.length : 0;
    if (what === 'drop') out.splice(i, 1);
    else if (what === 'insert') out.splice(i, 0, e);
    else if (what === 'revalue') {
      const x = out[i];
      if (x?.kind === 'access' && e.kind === 'access') out[i] = { ...x, value: x.width === 4 ? e.value & 0xffff_ffffn : e.value };
    }
    else out.splice(i, 1, e);
  }
  return out.map((e, seq) => ({ ...e, seq }));
};

function buffer(evs: TraceEvent[]): TraceBuffer {
  const buf = new TraceBuffer(new VirtualClock());
  for (const e of evs) {
    if (e.kind === 'access')
      buf.access(buf.nodeId(e.node), spaceCode(e.space), regionCode(e.region), e.offset, e.width, e.op === 'W' ? 1 : 0, Number(e.value & 0xffff_ffffn), Number(e.value >> 32n), statusCode(e.status));
    else if (e.kind === 'mailbox') buf.mailbox(buf.nodeId(e.node), e);
    else buf.step(e);
  }
  return buf;
}

const optionsArb = fc.constantFrom<CompareOptions>(...COMPARE_OPTION_SETS);

const everything = (r: CompareResult) => ({
  equal: r.equal,
  counts: r.counts,
  events: r.events,
  registers: r.registers,
  first: r.firstDivergence?.text ?? null,
  hunks: r.hunksPage(0, r.hunkCount).map((h) => h.items.map((i) => [i.kind, i.a?.seq, i.a?.count, i.b?.seq, i.b?.count, i.text])),
});

describe('compare: columnar path', () => {
  it('gives the same result as the event path for random traces and edited twins', () => {
    fc.assert(
      fc.property(traceArb, editsArb, optionsArb, (base, edits, opts) => {
        const a = base.map((e, seq) => ({ ...e, seq }));
        const b = applyEdits(a, edits);
        const fast = compareTraces(buffer(a), buffer(b), opts);
        const slow = compareTraces(a, b, opts);
        expect(everything(fast)).toEqual(everything(slow));
      }),
      { numRuns: 300 },
    );
  });

  it('hands out the same records from the buffer columns as from events()', () => {
    fc.assert(
      fc.property(traceArb, (evs) => {
        const buf = buffer(evs.map((e, seq) => ({ ...e, seq })));
        const cols = buf.columns();
        for (let i = 0; i < buf.count; i++) if ((cols.code[i] & 3) !== 0) expect(cols.record(i)).toEqual(buf.events(i, i + 1)[0]);
      }),
      { numRuns: 100 },
    );
  });
});
