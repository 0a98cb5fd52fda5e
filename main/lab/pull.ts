// Pulling a lab run into this bench's SQLite store (issue 17), to open, compare or replay it like a local run.
// The trace moves in keyset pages of a few chunks (never the whole run in memory), each page one local
// transaction; the run is 'queued' while it arrives and takes the lab's status, steps and logs in one final
// transaction. A pull that fails leaves nothing behind (the partial run is deleted); one killed outright leaves
// a run the next open marks interrupted, which the next pull of the same lab run replaces. A run pulled before
// is reused (lab_pulls, migrations/0006_lab.sql), and so is a run this store published itself (lab_published).

import type { LabPullResult } from '../api/contract-lab.js';
import type { Store } from '../store/store.js';
import { getRun } from './browse.js';
import type { LabConnection } from './lab-connection.js';
import { LabError } from './lab-error.js';
import { requireLabSchema } from './lab-migrate.js';

export interface PullOptions {
  signal?: AbortSignal;
  onProgress?(events: number, total: number): void;
  /** Chunks per page (default 16: about 1 MiB). */
  pageChunks?: number;
  /** Test hook: after each page is stored locally. */
  afterPage?(events: number): void | Promise<void>;
}

export async function labUuid(lab: LabConnection): Promise<string> {
  const rows = await lab.query<{ uuid: string }>('SELECT uuid FROM cxl_bench.lab_identity LIMIT 1', [], 'reading the lab identity');
  if (!rows[0]) throw new LabError('schema', `lab store ${lab.where} has no identity row`);
  return rows[0].uuid;
}

export async function pullRun(lab: LabConnection, store: Store, labRunId: number, opts: PullOptions = {}): Promise<LabPullResult> {
  await requireLabSchema(lab);
  const uuid = await labUuid(lab);
  const run = await getRun(lab, labRunId);
  // A run this store published is already here: use it rather than a second copy.
  const own = store.db
    .prepare<[string, number], { run_id: number }>('SELECT run_id FROM lab_published WHERE lab_uuid = ? AND lab_run_id = ?')
    .get(uuid, labRunId);
  const mine = own ? store.runs.get(own.run_id) : undefined;
  if (mine && store.chunks.committedEvents(mine.id) === run.eventCount)
    return { labRunId, runId: mine.id, sessionId: mine.sessionId, events: run.eventCount, reused: true };
  const prior = store.db
    .prepare<[string, number], { run_id: number }>('SELECT run_id FROM lab_pulls WHERE lab_uuid = ? AND lab_run_id = ?')
    .get(uuid, labRunId);
  if (prior) {
    const local = store.runs.get(prior.run_id);
    if (local && local.status === run.status && store.chunks.committedEvents(local.id) === run.eventCount)
      return { labRunId, runId: local.id, sessionId: local.sessionId, events: run.eventCount, reused: true };
    // An earlier pull that never finished: replace it.
    store.db.prepare('DELETE FROM runs WHERE id = ?').run(prior.run_id);
    store.traces.forget(prior.run_id);
  }

  const sessionName = `lab: ${run.bench} / ${run.session}`;
  const session = store.sessions.findByName(sessionName) ?? store.sessions.create(sessionName);
  const nodes = (await lab.query<{ path: string }>('SELECT path FROM cxl_bench.run_nodes WHERE run_id = $1 ORDER BY node_index', [labRunId], 'reading nodes')).map((n) => n.path);
  const layout = (await lab.query<{ layout: string }>('SELECT layout FROM cxl_bench.runs WHERE id = $1', [labRunId], 'reading the layout'))[0]!.layout;
  const local = store.tx(() => {
    const r = store.runs.create({ sessionId: session.id, sequence: run.sequence, topology: run.topology, targets: run.targets, status: 'queued', topologyJson: run.topologyJson });
    store.db.prepare('UPDATE runs SET layout = ? WHERE id = ?').run(layout, r.id);
    const node = store.db.prepare('INSERT INTO run_nodes (run_id, node_index, path) VALUES (?, ?, ?)');
    nodes.forEach((p, i) => node.run(r.id, i, p));
    store.db.prepare('INSERT INTO lab_pulls (run_id, lab_uuid, lab_run_id, bench, pulled_at) VALUES (?, ?, ?, ?, ?)').run(r.id, uuid, labRunId, run.bench, new Date().toISOString());
    return r;
  });

  try {
    const insert = store.db.prepare('INSERT INTO event_chunks (run_id, first_seq, count, bytes) VALUES (?, ?, ?, ?)');
    const bump = store.db.prepare('UPDATE runs SET event_count = ? WHERE id = ?');
    const page = opts.pageChunks ?? 16;
    let next = 0;
    for (;;) {
      if (opts.signal?.aborted) throw new LabError('cancelled', `pull of lab run ${labRunId} cancelled`);
      const rows = await lab.query<{ first_seq: string; count: number; bytes: Buffer }>(
        'SELECT first_seq, count, bytes FROM cxl_bench.event_chunks WHERE run_id = $1 AND first_seq >= $2 ORDER BY first_seq LIMIT $3',
        [labRunId, next, page],
        `pulling run ${labRunId}'s trace`,
      );
      if (rows.length === 0) break;
      store.tx(() => {
        for (const c of rows) insert.run(local.id, Number(c.first_seq), c.count, c.bytes);
        const last = rows[rows.length - 1]!;
        next = Number(last.first_seq) + last.count;
        bump.run(next, local.id);
      });
      opts.onProgress?.(next, run.eventCount);
      await opts.afterPage?.(next);
    }
    if (next !== run.eventCount) throw new LabError('data', `lab run ${labRunId}: ${next} events arrived, ${run.eventCount} expected`);
    const logs = await lab.query<{ time: Date; level: string; message: string }>(
      'SELECT time, level, message FROM cxl_bench.logs WHERE run_id = $1 ORDER BY local_id',
      [labRunId],
      `pulling run ${labRunId}'s logs`,
    );
    store.tx(() => {
      for (const s of run.steps) store.steps.insert(local.id, s);
      const log = store.db.prepare('INSERT INTO logs (run_id, time, level, message) VALUES (?, ?, ?, ?)');
      for (const l of logs) log.run(local.id, l.time.toISOString(), l.level, l.message);
      store.db
        .prepare('UPDATE runs SET status = ?, summary = ?, started_at = ?, ended_at = ?, owner_host = NULL, owner_pid = NULL WHERE id = ?')
        .run(run.status, run.summary, run.startedAt, run.endedAt, local.id);
    });
  } catch (e) {
    // Nothing half-pulled stays: the local store is as it was (plus the session, if it was new and is empty).
    store.db.prepare('DELETE FROM runs WHERE id = ?').run(local.id);
    if (store.sessions.get(session.id)?.runCount === 0) store.sessions.delete(session.id);
    throw e;
  }
  return { labRunId, runId: local.id, sessionId: session.id, events: run.eventCount, reused: false };
}
