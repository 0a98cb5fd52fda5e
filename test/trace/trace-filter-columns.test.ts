// trace.page's filter on decoded chunk columns (main/store/trace-reader.ts columnFilter) picks exactly the
// events the object filter (trace-rows.ts eventFilter) picks, for any chunk and any filter without text.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SPACES, STATUSES } from '../../common/access.js';
import type { TraceFilter } from '../../main/api/contract.js';
import { columnFilter } from '../../main/store/trace-reader.js';
import { eventFilter } from '../../main/store/trace-rows.js';
import { decodeChunk, decodeChunkColumns, encodeEvents } from '../../trace/chunk-codec.js';
import type { TraceEvent } from '../../trace/event.js';
import { NODES, eventsArb } from './arbitraries.js';

const nodeIndex = (p: string): number => NODES.indexOf(p);

const filterArb = fc.record(
  {
    node: fc.constantFrom('', 'hb0', 'hb0.rp0', 'hb0.rp', 'hb0.rp1.sw0', 'hb0.rp0.ep0', 'other'),
    space: fc.constantFrom('', ...SPACES, 'bogus'),
    op: fc.constantFrom<'R' | 'W'>('R', 'W'),
    status: fc.constantFrom('', ...STATUSES, 'pass', 'fail', 'Success'),
  },
  { requiredKeys: [] },
);

/** A filter naming what one of the events has (so records' return names and verdicts get matched too). */
const fromEvent = (e: TraceEvent): TraceFilter =>
  e.kind === 'access' ? { node: e.node, space: e.space, op: e.op, status: e.status } : e.kind === 'mailbox' ? { node: e.node, status: e.returnName } : { status: e.verdict };

function picks(events: TraceEvent[], f: TraceFilter): { byColumns: number[]; byEvents: number[] } {
  const bytes = encodeEvents(events, nodeIndex);
  const keep = eventFilter(f)!;
  const byEvents = decodeChunk(bytes, NODES, 0)
    .filter(keep)
    .map((e) => e.seq);
  const onColumns = columnFilter(f, NODES)!;
  const cols = decodeChunkColumns(bytes, NODES.length, 0, undefined, true); // as TraceReader scans
  const byColumns: number[] = [];
  for (let i = 0; i < cols.count; i++) if (onColumns(cols, i)) byColumns.push(i);
  return { byColumns, byEvents };
}

describe('trace filter on chunk columns', () => {
  it('keeps the same events as the event filter for any filter without text', () => {
    fc.assert(
      fc.property(eventsArb, filterArb, (events, f) => {
        const { byColumns, byEvents } = picks(events, f);
        expect(byColumns).toEqual(byEvents);
      }),
      { numRuns: 400 },
    );
  });

  it('keeps the same events for filters naming an event of the chunk (record statuses included)', () => {
    fc.assert(
      fc.property(eventsArb.filter((e) => e.length > 0), fc.nat(), fc.constantFrom<(keyof TraceFilter)[]>(['status'], ['node', 'status'], ['node', 'op'], ['space', 'status']), (events, at, keys) => {
        const full = fromEvent(events[at % events.length]);
        const f: TraceFilter = {};
        for (const k of keys) if (full[k] !== undefined) (f as Record<string, unknown>)[k] = full[k];
        const { byColumns, byEvents } = picks(events, f);
        expect(byColumns).toEqual(byEvents);
        if (Object.keys(f).length === keys.length) expect(byEvents).toContain(at % events.length);
      }),
      { numRuns: 300 },
    );
  });

  it('leaves text filters to the row path', () => {
    expect(columnFilter({ text: 'doorbell' }, NODES)).toBeNull();
  });
});
