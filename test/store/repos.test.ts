import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../common/clock.js';
import { RunRecorder } from '../../main/runs/run-recorder.js';
import { openStore, type Store } from '../../main/store/store.js';
import { RunTraceWriter } from '../../main/store/trace-writer.js';

let dir = '';
let store: Store;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cxl-repos-'));
  store = openStore(join(dir, 'bench.sqlite'));
});
afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A run of `n` accesses over two nodes (node alternates every 3 events), chunked every `chunk` events. */
function recordRun(n: number, chunk: number): number {
  const s = store.sessions.create('s');
  const run = store.runs.create({ sessionId: s.id, sequence: 'seq', topology: 'none' });
  const clock = new VirtualClock();
  const rec = new RunRecorder(clock, new RunTraceWriter(store.db, run.id), chunk);
  const nodes = [rec.sink.nodeId('hb0.rp0.ep0'), rec.sink.nodeId('hb0.rp1.ep0')];
  for (let i = 0; i < n; i++) {
    clock.advance(5);
    if (i % 100 === 50) rec.step({ sequence: 'seq', name: `step ${i}`, verdict: i % 200 === 50 ? 'pass' : 'warn', reason: 'why' });
    else rec.sink.access(nodes[Math.floor(i / 3) % 2], 0, 0, i & 0xffc, 4, i % 5 === 0 ? 1 : 0, i, 0, i % 7 === 0 ? 1 : 0);
  }
  rec.flush();
  return run.id;
}

describe('store repos', () => {
  it('a run counts its steps by verdict and lists them in order with their trace positions', () => {
    const id = recordRun(1000, 128);
    const run = store.runs.get(id)!;
    expect(run.eventCount).toBe(1000);
    expect(run.stepCounts).toEqual({ pass: 5, warn: 5, fail: 0, info: 0 });
    const steps = store.steps.list(id);
    expect(steps.map((s) => s.eventSeq)).toEqual([50, 150, 250, 350, 450, 550, 650, 750, 850, 950]);
    expect(steps.map((s) => s.seq)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('every page of the trace is dense, in order and matches what was recorded', () => {
    const id = recordRun(1000, 128);
    for (const [offset, limit] of [[0, 10], [120, 20], [127, 2], [990, 50], [1000, 5]]) {
      const p = store.traces.page(id, 1000, offset, limit);
      const expected = Array.from({ length: Math.max(0, Math.min(1000, offset + limit) - offset) }, (_, i) => offset + i);
      expect(p.rows.map((r) => r.seq)).toEqual(expected);
      for (const r of p.rows) if (r.kind === 'access') expect(r.value).toBe('0x' + r.seq.toString(16).padStart(8, '0'));
    }
  });

  it('filters by node (and below), op, status and text, with totals of matches', () => {
    const id = recordRun(600, 64);
    const all = store.traces.page(id, 600, 0, 600).rows;
    const expectFilter = (filter: object, keep: (r: (typeof all)[number]) => boolean) => {
      const want = all.filter(keep).map((r) => r.seq);
      const got = store.traces.page(id, 600, 0, 600, filter);
      expect(got.total).toBe(want.length);
      expect(got.rows.map((r) => r.seq)).toEqual(want);
      expect(store.traces.page(id, 600, 5, 7, filter).rows.map((r) => r.seq)).toEqual(want.slice(5, 12));
    };
    expectFilter({ node: 'hb0.rp1' }, (r) => r.node === 'hb0.rp1.ep0');
    expectFilter({ op: 'W' }, (r) => r.op === 'W');
    expectFilter({ status: 'unclaimed' }, (r) => r.status === 'unclaimed');
    expectFilter({ text: 'STEP 2' }, (r) => r.kind === 'step' && r.value.startsWith('step 2'));
    expectFilter({ node: 'hb0.rp0.ep0', op: 'R' }, (r) => r.node === 'hb0.rp0.ep0' && r.op === 'R');
  });

  it('deleting a session removes its runs, chunks, nodes and steps', () => {
    const id = recordRun(300, 64);
    const sessionId = store.runs.get(id)!.sessionId;
    expect(store.sessions.get(sessionId)!.runCount).toBe(1);
    expect(store.sessions.delete(sessionId)).toBe(true);
    for (const t of ['runs', 'event_chunks', 'run_nodes', 'steps'])
      expect((store.db.prepare(`SELECT count(*) AS n FROM ${t}`).get() as { n: number }).n).toBe(0);
  });

  it('logs page per run and overall', () => {
    const id = recordRun(10, 64);
    store.logs.append(id, 'info', 'a');
    store.logs.append(null, 'warn', 'b');
    store.logs.append(id, 'error', 'c');
    expect(store.logs.page(id, 0, 10).rows.map((r) => r.message)).toEqual(['a', 'c']);
    expect(store.logs.page(undefined, 1, 1)).toMatchObject({ total: 3, offset: 1, rows: [{ message: 'b', runId: null }] });
  });
});
