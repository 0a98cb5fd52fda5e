import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../common/clock.js';
import { decodeChunk, encodeEvents } from '../../trace/chunk-codec.js';
import type { TraceEvent } from '../../trace/event.js';
import { TraceBuffer } from '../../trace/trace-buffer.js';
import { NODES, eventsArb } from './arbitraries.js';

const nodeIndex = (p: string): number => NODES.indexOf(p);

describe('chunk codec', () => {
  it('decode(encode(events)) is the identity for any events', () => {
    fc.assert(
      fc.property(eventsArb, (events) => {
        const bytes = encodeEvents(events, nodeIndex);
        expect(decodeChunk(bytes, NODES, 0)).toEqual(events);
      }),
      { numRuns: 300 },
    );
  });

  it('numbers decoded events from firstSeq', () => {
    const events = [
      { kind: 'step', seq: 0, timeNs: 5, sequence: 's', name: 'n', verdict: 'pass', reason: '' },
    ] as const;
    expect(decodeChunk(encodeEvents(events, nodeIndex), NODES, 4096)[0].seq).toBe(4096);
  });

  it('starts with the version byte and rejects other versions', () => {
    const bytes = encodeEvents([], nodeIndex);
    expect(bytes[0]).toBe(1);
    const bad = bytes.slice();
    bad[0] = 9;
    expect(() => decodeChunk(bad, NODES, 0)).toThrow(/version 9/);
  });

  it('rejects truncated chunks and out-of-table node indices instead of returning part', () => {
    fc.assert(
      fc.property(eventsArb.filter((e) => e.length > 0), (events) => {
        const bytes = encodeEvents(events, nodeIndex);
        expect(() => decodeChunk(bytes.subarray(0, bytes.length - 1), NODES, 0)).toThrow(/corrupt trace chunk/);
      }),
      { numRuns: 100 },
    );
    const one = encodeEvents(
      [{ kind: 'access', seq: 0, timeNs: 0, node: NODES[3], space: 'cfg', region: 'cfg', offset: 0, width: 4, op: 'R', value: 1n, status: 'ok' }],
      nodeIndex,
    );
    expect(() => decodeChunk(one, NODES.slice(0, 2), 0)).toThrow(/node index 3/);
  });
});

describe('TraceBuffer', () => {
  it('sealChunk returns exactly the events recorded since the last seal, matching events()', () => {
    fc.assert(
      fc.property(eventsArb, fc.integer({ min: 0, max: 60 }), (events, cut) => {
        const clock = new VirtualClock();
        const buf = new TraceBuffer(clock);
        for (const e of events) {
          clock.set(e.timeNs);
          if (e.kind === 'access') {
            const v = e.value;
            buf.access(
              buf.nodeId(e.node),
              ['cfg', 'mmio', 'mem'].indexOf(e.space),
              ['cfg', 'bar0', 'bar1', 'bar2', 'bar3', 'bar4', 'bar5', 'chbcr', 'hpa'].indexOf(e.region),
              e.offset,
              e.width,
              e.op === 'W' ? 1 : 0,
              Number(v & 0xffffffffn),
              Number(v >> 32n),
              ['ok', 'unclaimed', 'bad-access', 'timeout', 'link-error'].indexOf(e.status),
            );
          } else if (e.kind === 'mailbox') {
            const { kind, seq, timeNs, node, ...rec } = e;
            buf.mailbox(buf.nodeId(node), rec);
          } else {
            const { kind, seq, timeNs, ...rec } = e;
            buf.step(rec);
          }
          if (e.seq === cut) {
            const c = buf.sealChunk()!;
            expect(c.firstSeq).toBe(0);
            expect(decodeChunk(c.bytes, buf.nodes, c.firstSeq)).toEqual(events.slice(0, cut + 1));
          }
        }
        expect(buf.count).toBe(events.length);
        expect(buf.events(0, events.length)).toEqual(events);
        const rest = buf.sealChunk();
        const restFrom = cut < events.length ? cut + 1 : 0;
        if (restFrom === events.length) expect(rest).toBeNull();
        else {
          expect(rest!.firstSeq).toBe(restFrom);
          expect(rest!.count).toBe(events.length - restFrom);
          expect(decodeChunk(rest!.bytes, buf.nodes, rest!.firstSeq)).toEqual(events.slice(restFrom));
        }
      }),
      { numRuns: 200 },
    );
  });

  it('grows past its initial capacity without losing events', () => {
    const clock = new VirtualClock();
    const buf = new TraceBuffer(clock);
    const n = buf.nodeId('ep0');
    for (let i = 0; i < 5000; i++) {
      clock.advance(3);
      buf.access(n, 1, 1, i * 4, 4, i & 1, i, 0, 0);
    }
    expect(buf.count).toBe(5000);
    const [e] = buf.events(4321, 4322);
    expect(e).toMatchObject({ seq: 4321, offset: 4321 * 4, value: 4321n, op: 'W', timeNs: 4322 * 3 });
  });

  it('dropSealed keeps count, seq numbers and every chunk the same, and holds only the unsealed rest', () => {
    fc.assert(
      fc.property(eventsArb, fc.array(fc.integer({ min: 0, max: 60 }), { maxLength: 6 }), (events, cuts) => {
        const clock = new VirtualClock();
        const buf = new TraceBuffer(clock);
        const chunks: TraceEvent[] = [];
        events.forEach((e, i) => {
          record(buf, clock, e);
          if (cuts.includes(i)) {
            const c = buf.sealChunk();
            if (c) chunks.push(...decodeChunk(c.bytes, buf.nodes, c.firstSeq));
            buf.dropSealed();
            expect(buf.firstHeld).toBe(i + 1);
            expect(buf.events(0, i + 1)).toEqual([]);
          }
        });
        expect(buf.count).toBe(events.length);
        expect(buf.events(0, events.length)).toEqual(events.slice(buf.firstHeld));
        const rest = buf.sealChunk();
        if (rest) chunks.push(...decodeChunk(rest.bytes, buf.nodes, rest.firstSeq));
        expect(chunks).toEqual(events);
        if (buf.firstHeld > 0) expect(() => buf.columns()).toThrow(/dropped/);
      }),
      { numRuns: 200 },
    );
  });

  it('sealing and dropping every 4096 events keeps the arrays at a few thousand rows for a million events', () => {
    const clock = new VirtualClock();
    const buf = new TraceBuffer(clock);
    const n = buf.nodeId('ep0');
    let most = 0;
    for (let i = 0; i < 1_000_000; i++) {
      buf.access(n, 1, 1, i * 4, 4, i & 1, i, 0, 0);
      if ((i & 4095) === 4095) {
        buf.sealChunk();
        buf.dropSealed();
      }
      most = Math.max(most, buf.capacity);
    }
    expect(buf.count).toBe(1_000_000);
    expect(most).toBeLessThanOrEqual(8192);
    expect(buf.events(999_999, 1_000_000)[0]).toMatchObject({ seq: 999_999, value: 999_999n });
  });
});

/** Record one generated event into `buf` at its time. */
function record(buf: TraceBuffer, clock: VirtualClock, e: TraceEvent): void {
  clock.set(e.timeNs);
  if (e.kind === 'access') {
    const v = e.value;
    buf.access(
      buf.nodeId(e.node),
      ['cfg', 'mmio', 'mem'].indexOf(e.space),
      ['cfg', 'bar0', 'bar1', 'bar2', 'bar3', 'bar4', 'bar5', 'chbcr', 'hpa'].indexOf(e.region),
      e.offset,
      e.width,
      e.op === 'W' ? 1 : 0,
      Number(v & 0xffffffffn),
      Number(v >> 32n),
      ['ok', 'unclaimed', 'bad-access', 'timeout', 'link-error'].indexOf(e.status),
    );
  } else if (e.kind === 'mailbox') {
    const { kind, seq, timeNs, node, ...rec } = e;
    buf.mailbox(buf.nodeId(node), rec);
  } else {
    const { kind, seq, timeNs, ...rec } = e;
    buf.step(rec);
  }
}
