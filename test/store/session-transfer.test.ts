import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { VirtualClock } from '../../common/clock.js';
import { CompareService } from '../../main/compare/compare-service.js';
import { RunRecorder } from '../../main/runs/run-recorder.js';
import { exportSession, importSessionFile, importSessions } from '../../main/store/session-transfer.js';
import { openStore, type Store } from '../../main/store/store.js';
import { RunTraceWriter } from '../../main/store/trace-writer.js';

let dir = '';
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cxl-xfer-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function record(store: Store, sessionId: number, n: number, seed: number): number {
  const run = store.runs.create({ sessionId, sequence: 'seq', topology: 'none' });
  const clock = new VirtualClock();
  const rec = new RunRecorder(clock, new RunTraceWriter(store.db, run.id), 256);
  const node = rec.sink.nodeId(`hb0.rp${seed}.ep0`);
  for (let i = 0; i < n; i++) {
    clock.advance(3);
    rec.sink.access(node, 1, 3, (i * 4) & 0xffc, 4, i & 1, i * seed, 0, 0);
    if (i % 250 === 0) rec.step({ sequence: 'seq', name: `s${i}`, verdict: 'pass', reason: 'ok' });
  }
  rec.flush();
  store.runs.finish(run.id, 'passed', `run of ${n}`);
  store.logs.append(run.id, 'info', `log of run ${run.id}`);
  return run.id;
}

it('a session exported to a file imports into another bench with its runs, traces, steps, logs and comparisons', () => {
  const src = openStore(join(dir, 'a.sqlite'));
  src.sessions.create('other'); // ids in the two stores differ
  const s = src.sessions.create('board rev B');
  const r1 = record(src, s.id, 1000, 1);
  const r2 = record(src, s.id, 700, 2);
  const cmp = new CompareService(src).run({ runA: r1, runB: r2 });
  src.db.prepare('INSERT INTO notes (session_id, run_id, created_at, text) VALUES (?, ?, ?, ?)').run(s.id, r2, 'now', 'check rp2');

  const file = join(dir, 'exported.sqlite');
  const ex = exportSession(src, s.id, file);
  expect(ex).toMatchObject({ runs: 2, events: 1000 + 4 + 700 + 3 }); // accesses + step events
  expect(() => exportSession(src, s.id, file)).toThrow(/already exists/);

  const dst = openStore(join(dir, 'b.sqlite'));
  dst.sessions.create('already here');
  const [sid] = importSessions(dst, file);
  const imported = dst.sessions.get(sid)!;
  expect(imported).toMatchObject({ name: 'board rev B', runCount: 2 });
  const runs = dst.runs.list(sid);
  expect(runs.map((r) => [r.eventCount, r.summary, r.status])).toEqual([
    [1004, 'run of 1000', 'passed'],
    [703, 'run of 700', 'passed'],
  ]);
  for (const [i, orig] of [r1, r2].entries()) {
    const a = src.traces.page(orig, src.runs.get(orig)!.eventCount, 250, 300).rows;
    const b = dst.traces.page(runs[i].id, runs[i].eventCount, 250, 300).rows;
    expect(b).toEqual(a);
    expect(dst.steps.list(runs[i].id)).toEqual(src.steps.list(orig));
    expect(dst.logs.page(runs[i].id, 0, 10).rows.map((l) => l.message)).toEqual([`log of run ${orig}`]);
  }
  // The saved comparison points at the imported runs and reopens to the same result.
  const cmps = new CompareService(dst);
  const [saved] = cmps.list(sid);
  expect([saved.runA, saved.runB]).toEqual([runs[0].id, runs[1].id]);
  const again = cmps.get(saved.id);
  expect(again.counts).toEqual(cmp.counts);
  expect(dst.db.prepare('SELECT text, run_id FROM notes WHERE session_id = ?').get(sid)).toEqual({ text: 'check rp2', run_id: runs[1].id });
  src.close();
  dst.close();
});

it('importing something that is not a bench store fails and writes nothing', () => {
  const dst = openStore(join(dir, 'b.sqlite'));
  const junk = join(dir, 'junk.sqlite');
  writeFileSync(junk, 'not a database at all, just text');
  expect(() => importSessions(dst, junk)).toThrow();
  expect(dst.sessions.list()).toEqual([]);
  dst.close();
});

it('the saved topologies the session runs name travel with it; a clash keeps the existing one and imports "<name>.imported"', () => {
  const src = openStore(join(dir, 'a.sqlite'));
  const s = src.sessions.create('topo');
  const other = src.sessions.create('other');
  const A = '{"name":"rig-a","hostBridges":[]}';
  const B = '{"name":"rig-b","hostBridges":[]}';
  src.topologies.save('rig-a', A);
  src.topologies.save('rig-b', B);
  src.topologies.save('unused', '{"x":1}');
  src.runs.create({ sessionId: s.id, sequence: 'seq', topology: 'rig-a', topologyJson: A });
  src.runs.create({ sessionId: s.id, sequence: 'seq', topology: 'rig-b', topologyJson: B });
  src.runs.create({ sessionId: s.id, sequence: 'seq', topology: 'single-t3' }); // a built-in: no saved row
  src.runs.create({ sessionId: other.id, sequence: 'seq', topology: 'unused' });
  const file = join(dir, 'exported.sqlite');
  expect(exportSession(src, s.id, file).topologies).toBe(2);

  const dst = openStore(join(dir, 'b.sqlite'));
  const Bhere = '{"name":"rig-b-local","hostBridges":[]}';
  dst.topologies.save('rig-b', Bhere);
  const first = importSessionFile(dst, file);
  expect(first.topologies).toEqual([
    { name: 'rig-a', outcome: 'added', storedAs: 'rig-a' },
    { name: 'rig-b', outcome: 'renamed', storedAs: 'rig-b.imported' },
  ]);
  expect(dst.topologies.list().map((t) => [t.name, t.json])).toEqual([
    ['rig-a', A],
    ['rig-b', Bhere],
    ['rig-b.imported', B],
  ]);
  // The imported runs name the topology they were built from, and keep their exact JSON.
  const runs = dst.runs.list(first.sessionIds[0]);
  expect(runs.map((r) => r.topology)).toEqual(['rig-a', 'rig-b.imported', 'single-t3']);
  expect(runs.map((r) => dst.runs.topologyJson(r.id))).toEqual([A, B, null]);

  // Importing the same file again adds nothing new: identical JSON is recognised under either name.
  const second = importSessionFile(dst, file);
  expect(second.topologies.map((t) => [t.outcome, t.storedAs])).toEqual([
    ['same', 'rig-a'],
    ['renamed', 'rig-b.imported'],
  ]);
  expect(dst.topologies.list()).toHaveLength(3);
  src.close();
  dst.close();
});

it('a second clash under "<name>.imported" with other JSON goes to "<name>.imported-2"', () => {
  const src = openStore(join(dir, 'a.sqlite'));
  const s = src.sessions.create('topo');
  src.topologies.save('rig', '{"v":3}');
  src.runs.create({ sessionId: s.id, sequence: 'seq', topology: 'rig' });
  const file = join(dir, 'exported.sqlite');
  exportSession(src, s.id, file);
  const dst = openStore(join(dir, 'b.sqlite'));
  dst.topologies.save('rig', '{"v":1}');
  dst.topologies.save('rig.imported', '{"v":2}');
  expect(importSessionFile(dst, file).topologies).toEqual([{ name: 'rig', outcome: 'renamed', storedAs: 'rig.imported-2' }]);
  expect(dst.topologies.get('rig.imported-2')?.json).toBe('{"v":3}');
  expect(dst.topologies.get('rig')?.json).toBe('{"v":1}');
  src.close();
  dst.close();
});
