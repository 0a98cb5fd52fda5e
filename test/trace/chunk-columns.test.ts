// decodeChunkColumns (the column form trace.page's filter scans) against decodeChunk, the object form: the
// same events, field for field, for any chunk; and the same refusals of corrupt input.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OPS, REGIONS, SPACES, STATUSES, type Width } from '../../common/access.js';
import { chunkRecord, decodeChunk, decodeChunkColumns, encodeEvents, type ChunkColumns } from '../../trace/chunk-codec.js';
import type { TraceEvent } from '../../trace/event.js';
import { NODES, eventsArb } from './arbitraries.js';

const nodeIndex = (p: string): number => NODES.indexOf(p);

/** Row i of decoded columns as the event decodeChunk gives. */
function rowEvent(cols: ChunkColumns, i: number, seq: number): TraceEvent {
  const c = cols.code[i];
  const kind = c & 3;
  if (kind === 0) {
    return {
      kind: 'access',
      seq,
      timeNs: cols.timeNs[i],
      node: NODES[cols.node[i]],
      space: SPACES[(c >> 2) & 3],
      region: REGIONS[(c >> 4) & 15],
      offset: cols.offset[i],
      width: (1 << ((c >> 12) & 3)) as Width,
      op: OPS[(c >> 8) & 1],
      value: (BigInt(cols.valueHi[i]) << 32n) | BigInt(cols.valueLo[i]),
      status: STATUSES[(c >> 9) & 7],
    };
  }
  const rec = chunkRecord(cols, i);
  if (kind === 1) return { kind: 'mailbox', seq, timeNs: cols.timeNs[i], node: NODES[cols.node[i]], ...(rec as object) } as TraceEvent;
  expect(cols.node[i]).toBe(-1);
  return { kind: 'step', seq, timeNs: cols.timeNs[i], ...(rec as object) } as TraceEvent;
}

describe('chunk columns', () => {
  it('hold the same events as decodeChunk for any chunk, also when reusing the arrays of a larger chunk', () => {
    let reused: ChunkColumns | undefined;
    fc.assert(
      fc.property(eventsArb, fc.nat(10_000), (events, firstSeq) => {
        const bytes = encodeEvents(events, nodeIndex);
        const objects = decodeChunk(bytes, NODES, firstSeq);
        for (const cols of [decodeChunkColumns(bytes, NODES.length, firstSeq), (reused = decodeChunkColumns(bytes, NODES.length, firstSeq, reused))]) {
          expect(cols.count).toBe(objects.length);
          expect(Array.from({ length: cols.count }, (_, i) => rowEvent(cols, i, firstSeq + i))).toEqual(objects);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('decoded for attributes only, hold the same nodes, codes and records as a full decode', () => {
    fc.assert(
      fc.property(eventsArb, (events) => {
        const bytes = encodeEvents(events, nodeIndex);
        const full = decodeChunkColumns(bytes, NODES.length, 0);
        const attrs = decodeChunkColumns(bytes, NODES.length, 0, undefined, true);
        const n = full.count;
        expect(attrs.count).toBe(n);
        expect(Array.from(attrs.node.subarray(0, n))).toEqual(Array.from(full.node.subarray(0, n)));
        expect(Array.from(attrs.code.subarray(0, n))).toEqual(Array.from(full.code.subarray(0, n)));
        for (let i = 0; i < n; i++) if ((full.code[i] & 3) !== 0) expect(chunkRecord(attrs, i)).toEqual(chunkRecord(full, i));
        if (bytes.length > 2) expect(() => decodeChunkColumns(bytes.subarray(0, bytes.length - 1), NODES.length, 0, undefined, true)).toThrow(/corrupt trace chunk/);
      }),
      { numRuns: 300 },
    );
  });

  it('refuse what decodeChunk refuses: truncation, a node outside the table, another version', () => {
    fc.assert(
      fc.property(eventsArb.filter((e) => e.some((x) => x.kind === 'access')), (events) => {
        const bytes = encodeEvents(events, nodeIndex);
        expect(() => decodeChunkColumns(bytes.subarray(0, bytes.length - 1), NODES.length, 0)).toThrow(/corrupt trace chunk/);
        expect(() => decodeChunk(bytes.subarray(0, bytes.length - 1), NODES, 0)).toThrow(/corrupt trace chunk/);
        if (events.some((e) => e.kind !== 'step' && nodeIndex(e.node) > 0)) {
          expect(() => decodeChunk(bytes, NODES.slice(0, 1), 0)).toThrow(/node index/);
          expect(() => decodeChunkColumns(bytes, 1, 0)).toThrow(/node index/);
        }
      }),
      { numRuns: 200 },
    );
    const bad = encodeEvents([], nodeIndex).slice();
    bad[0] = 9;
    expect(() => decodeChunkColumns(bad, NODES.length, 0)).toThrow(/version 9/);
  });
});
