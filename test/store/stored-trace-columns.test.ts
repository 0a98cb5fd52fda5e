// A stored run read as columns (StoredTraceSource.columns / record): the same typed arrays, bit for bit, as
// the TraceBuffer that recorded it, records equal to the events path's, and compare over stored runs (the
// columnar path) exactly the result of compare over the same events as plain objects (the event path).
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { regionCode, spaceCode, statusCode, type Region, type Space } from '../../common/access.js';
import { VirtualClock, type Clock } from '../../common/clock.js';
import type { Layout } from '../../common/layout.js';
import { resolveBlock } from '../../emulator/spec/blocks.js';
import { defaultType3Config } from '../../emulator/type3/config.js';
import { createType3 } from '../../emulator/type3/index.js';
import { CompareService } from '../../main/compare/compare-service.js';
import { RunRecorder } from '../../main/runs/run-recorder.js';
import { openStore, type Store } from '../../main/store/store.js';
import { StoredTraceSource } from '../../main/store/stored-trace.js';
import { RunTraceWriter } from '../../main/store/trace-writer.js';
import { compareTraces, type CompareOptions, type CompareResult } from '../../trace/compare/index.js';
import { arraySource, isColumnar, type TraceEvent } from '../../trace/event.js';
import { emitSyntheticTrace } from '../../trace/synthetic.js';
import type { TraceBuffer } from '../../trace/trace-buffer.js';
import { eventsArb } from '../trace/arbitraries.js';
import { COMPARE_OPTION_SETS, NODES } from '../trace/compare-inputs.js';

let store: Store;
let sessionId = 0;
beforeAll(() => {
  store = openStore(':memory:');
  sessionId = store.sessions.create('columns').id;
});
afterAll(() => store.close());

/** A clock the test sets before each event (events carry arbitrary, even non-monotonic, times). */
class SetClock implements Clock {
  t = 0;
  now(): number {
    return this.t;
  }
}

/** Record `evs` through the run worker's path (RunRecorder → TraceBuffer.sealChunk → RunTraceWriter). */
function storeRun(evs: readonly TraceEvent[], chunkEvents: number): { src: StoredTraceSource; buf: TraceBuffer } {
  const run = store.runs.create({ sessionId, sequence: 'columns', topology: 'none' });
  const clock = new SetClock();
  const rec = new RunRecorder(clock, new RunTraceWriter(store.db, run.id), chunkEvents, { retain: true });
  const sink = rec.sink;
  for (const e of evs) {
    clock.t = e.timeNs;
    if (e.kind === 'access')
      sink.access(sink.nodeId(e.node), spaceCode(e.space), regionCode(e.region), e.offset, e.width, e.op === 'W' ? 1 : 0, Number(e.value & 0xffff_ffffn), Number(e.value >> 32n), statusCode(e.status));
    else if (e.kind === 'mailbox') sink.mailbox(sink.nodeId(e.node), e);
    else rec.step(e);
  }
  rec.flush();
  const count = store.runs.get(run.id)!.eventCount;
  expect(count).toBe(evs.length);
  return { src: new StoredTraceSource(store.chunks, run.id, count), buf: rec.buffer };
}

const fieldByField = (c: { count: number; nodes: readonly string[]; node: Uint16Array; code: Uint16Array; offset: Float64Array; valueLo: Uint32Array; valueHi: Uint32Array }) => ({
  count: c.count,
  nodes: [...c.nodes],
  node: Array.from(c.node),
  code: Array.from(c.code),
  offset: Array.from(c.offset),
  valueLo: Array.from(c.valueLo),
  valueHi: Array.from(c.valueHi),
});

describe('StoredTraceSource.columns', () => {
  it('is a columnar source whose columns equal the recording TraceBuffer columns, field by field (every space, region, width, op, status; mailbox and step rows)', () => {
    fc.assert(
      fc.property(eventsArb, fc.integer({ min: 1, max: 9 }), (evs, chunkEvents) => {
        const { src, buf } = storeRun(evs, chunkEvents);
        expect(isColumnar(src)).toBe(true);
        expect(fieldByField(src.columns())).toEqual(fieldByField(buf.columns()));
      }),
      { numRuns: 150 },
    );
  });

  it('record(seq) gives the mailbox/step event that events(seq, seq + 1) gives, with its time and node', () => {
    fc.assert(
      fc.property(eventsArb, fc.integer({ min: 1, max: 9 }), (evs, chunkEvents) => {
        const { src } = storeRun(evs, chunkEvents);
        const cols = src.columns();
        const recordRows = evs.filter((e) => e.kind !== 'access').map((e) => e.seq);
        expect(recordRows.filter((seq) => (cols.code[seq] & 3) !== 0)).toEqual(recordRows);
        for (const seq of recordRows) {
          const r = cols.record(seq);
          expect(r).toEqual(src.events(seq, seq + 1)[0]);
          expect(r).toEqual(evs[seq]);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('copies only the rows below count when the stored run holds more, and throws when it holds fewer', () => {
    const evs = emitted(100);
    const { src } = storeRun(evs, 16);
    const runId = (src as unknown as { runId: number }).runId;
    const short = new StoredTraceSource(store.chunks, runId, 37);
    expect(short.columns().count).toBe(37);
    expect(Array.from(short.columns().valueLo)).toEqual(Array.from(src.columns().valueLo.subarray(0, 37)));
    expect(() => new StoredTraceSource(store.chunks, runId, 101).columns()).toThrow(/100 events, 101 expected/);
  });
});

/** The synthetic workload (config walks, mailbox polls, HDM programming, memory, steps) as events. */
function emitted(events: number, divergence = 0): TraceEvent[] {
  const clock = new VirtualClock();
  const evs: TraceEvent[] = [];
  const rec = new RunRecorder(clock, { write: () => undefined } as unknown as RunTraceWriter, 1 << 30);
  emitSyntheticTrace(rec.sink, clock, { events, seed: 5, divergence });
  evs.push(...rec.buffer.events(0, rec.buffer.count));
  return evs;
}

// Compare inputs shaped to collide (few places and values, poll loops), as test/trace/compare-columnar.test.ts.

const placeArb = fc.constantFrom<[Space, Region, number]>(
  ['cfg', 'cfg', 0],
  ['cfg', 'cfg', 4],
  ['mmio', 'bar2', 0x84],
  ['mmio', 'bar2', 0x90],
  ['mmio', 'bar2', 0x94],
  ['mmio', 'bar0', 0x1010],
  ['mmio', 'bar2', 0x208],
  ['mmio', 'bar2', 0x220],
  ['mem', 'hpa', 0x10_0000_0000],
  ['mem', 'hpa', 2 ** 45 + 64],
);

const accessArb = fc
  .record({
    node: fc.constantFrom(...NODES),
    place: placeArb,
    width: fc.constantFrom<1 | 2 | 4 | 8>(4, 8, 4, 1, 2),
    op: fc.constantFrom<'R' | 'W'>('R', 'R', 'W'),
    value: fc.constantFrom(0n, 1n, 0x300n, 0x600n, 0xffff_ffffn, 0x1_0000_0001n, 0xdead_beef_0000_0010n),
    status: fc.constantFrom('ok', 'ok', 'ok', 'unclaimed', 'timeout', 'bad-access', 'link-error' as const),
    timeNs: fc.integer({ min: 0, max: 1e6 }),
  })
  .map(({ place: [space, region, offset], width, value, ...a }): TraceEvent => ({
    kind: 'access',
    seq: 0,
    ...a,
    space,
    region,
    offset,
    width,
    value: value & ((1n << BigInt(8 * width)) - 1n),
  }));

const recordArb = fc.oneof(
  fc.record({
    kind: fc.constant('mailbox' as const),
    seq: fc.constant(0),
    timeNs: fc.integer({ min: 0, max: 1e6 }),
    node: fc.constantFrom(...NODES),
    opcode: fc.constantFrom(0x4000, 0x0300, 0x0001),
    name: fc.constant('op'),
    returnCode: fc.constantFrom(0, 1),
    returnName: fc.constantFrom('Success', 'Background Command Started'),
    inputHex: fc.constantFrom('', '01'),
    outputHex: fc.constantFrom('', 'aa', 'bb'),
  }),
  fc.record({
    kind: fc.constant('step' as const),
    seq: fc.constant(0),
    timeNs: fc.integer({ min: 0, max: 1e6 }),
    sequence: fc.constant('s'),
    name: fc.constantFrom('a', 'b'),
    verdict: fc.constantFrom('pass', 'fail'),
    reason: fc.constant(''),
  }),
);

/** Events, accesses sometimes repeated in place (poll loops). */
const traceArb = fc
  .array(fc.tuple(fc.oneof({ weight: 6, arbitrary: accessArb }, recordArb), fc.nat(3)), { maxLength: 50 })
  .map((xs) => xs.flatMap(([e, repeat]) => Array.from({ length: 1 + (e.kind === 'access' ? repeat : 0) }, () => e)));

const editsArb = fc.array(fc.tuple(fc.constantFrom('drop', 'insert', 'replace', 'revalue'), fc.nat(), fc.oneof(accessArb, recordArb)), { maxLength: 5 });

function applyEdits(evs: TraceEvent[], edits: [string, number, TraceEvent][]): TraceEvent[] {
  const out = evs.slice();
  for (const [what, at, e] of edits) {
    const i = out.length ? at % out.length : 0;
    if (what === 'drop') out.splice(i, 1);
    else if (what === 'insert') out.splice(i, 0, e);
    else if (what === 'revalue') {
      const x = out[i];
      if (x?.kind === 'access' && e.kind === 'access') out[i] = { ...x, value: e.value & ((1n << BigInt(8 * x.width)) - 1n) };
    } else out.splice(i, 1, e);
  }
  return out.map((e, seq) => ({ ...e, seq }));
}

const OPTIONS = COMPARE_OPTION_SETS;

/** Everything a result says, hunks included (with each side's event and decode). */
const everything = (r: CompareResult) => ({
  equal: r.equal,
  counts: r.counts,
  events: r.events,
  registers: r.registers,
  firstDivergence: r.firstDivergence,
  hunkCount: r.hunkCount,
  hunks: r.hunksPage(0, r.hunkCount),
});

/** compare over the stored sources (columnar) and over their events as a plain source (event path). */
function bothPaths(a: StoredTraceSource, b: StoredTraceSource, opts: CompareOptions): void {
  const fast = compareTraces(a, b, opts);
  const slow = compareTraces(arraySource(a.events(0, a.count)), arraySource(b.events(0, b.count)), opts);
  expect(everything(fast)).toEqual(everything(slow));
}

describe('compare over stored runs (columnar path)', () => {
  it('gives exactly the event path result for random traces and edited twins, with and without masks, folding, layouts and node maps', () => {
    fc.assert(
      fc.property(traceArb, editsArb, fc.constantFrom(...OPTIONS), fc.integer({ min: 1, max: 12 }), (base, edits, opts, chunkEvents) => {
        const a = base.map((e, seq) => ({ ...e, seq }));
        const b = applyEdits(a, edits);
        bothPaths(storeRun(a, chunkEvents).src, storeRun(b, chunkEvents + 3).src, opts);
      }),
      { numRuns: 200 },
    );
  });

  it('gives exactly the event path result for a synthetic run and its 1 %-divergent twin, under every option set', () => {
    const a = storeRun(emitted(12_000), 4096).src;
    const b = storeRun(emitted(12_000, 0.01), 4096).src;
    for (const opts of OPTIONS) bothPaths(a, b, opts);
    expect(compareTraces(a, b).equal).toBe(false);
  });

  it('builds no event objects to compare two equal stored runs (records come from record(), not events())', () => {
    const evs = emitted(5_000);
    const a = storeRun(evs, 512).src;
    const b = storeRun(evs, 700).src;
    let calls = 0;
    for (const s of [a, b]) {
      const events = s.events.bind(s);
      s.events = (from, to) => (calls++, events(from, to));
    }
    const r = compareTraces(a, b);
    expect(r.equal).toBe(true);
    expect(r.events.a).toBe(5_000);
    expect(calls).toBe(0);
  });

  it('compare.run (CompareService) over two stored runs with emulated type3 layouts counts what the event path counts', () => {
    const blocks = createType3(defaultType3Config(), new VirtualClock()).layout();
    const typeLayout: Layout = NODES.map((node) => ({ node, kind: 'type3', blocks }));
    const a = storeRun(emitted(8_000), 1024).src;
    const b = storeRun(emitted(8_000, 0.02), 1024).src;
    const ids = [a, b].map((s) => (s as unknown as { runId: number }).runId);
    for (const id of ids) store.runs.setLayout(id, typeLayout);
    const service = new CompareService(store);
    for (const masks of [undefined, ['Mailbox Control.Doorbell', 'mailbox.0x4000']]) {
      const summary = service.run({ runA: ids[0], runB: ids[1], ...(masks ? { masks } : {}) });
      const slow = compareTraces(arraySource(a.events(0, a.count)), arraySource(b.events(0, b.count)), {
        layoutA: typeLayout,
        layoutB: typeLayout,
        resolve: resolveBlock,
        ...(masks ? { masks } : {}),
      });
      expect(summary.equal).toBe(false);
      expect({ counts: summary.counts, events: summary.events, hunkCount: summary.hunkCount, registers: summary.registers }).toEqual({
        counts: slow.counts,
        events: slow.events,
        hunkCount: slow.hunkCount,
        registers: slow.registers,
      });
      expect(summary.firstDivergence?.text).toBe(slow.firstDivergence?.text);
      expect(summary.registers.some((r) => !/\+0x|memory/.test(r.register) && /·.*·/.test(r.register))).toBe(true);
    }
  });
});
