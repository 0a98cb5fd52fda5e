// Publishing a session from this bench's SQLite store to the lab store (issue 17). Idempotent and resumable:
// - every published row carries its key on the bench (store uuid + local id) and goes in with ON CONFLICT, so a
//   second publish of the same session writes nothing new;
// - a run's trace chunks go in batch by batch (multi-row INSERT of the chunk BLOBs as binary bytea), each batch
//   its own transaction; the run stays invisible (complete = false) until its nodes, steps, logs and devices go in
//   with the flag in one final transaction. A publish cut off anywhere (killed, server gone) leaves only whole
//   batches behind, and the retry continues after the last stored chunk — nothing duplicated, nothing lost.
// Runs still running are skipped (published on a later publish). Saved comparisons and notes of the session, and
// the saved topologies its runs name, travel too.

import { createHash } from 'node:crypto';
import { hostname } from 'node:os';
import type { Store } from '../store/store.js';
import { runDevices, type IdentityOverrides } from './board-identity.js';
import type { LabClient, LabConnection } from './lab-connection.js';
import { LabError } from './lab-error.js';
import { migrateLab } from './lab-migrate.js';
import { storeUuid } from './store-identity.js';

export interface PublishOptions {
  /** This bench's name in the lab (default: host name). */
  bench: string;
  identity?: IdentityOverrides;
  /** Stop between batches (the publish can be retried later). */
  signal?: AbortSignal;
  onProgress?(p: PublishProgress): void;
  /** Test hook: called after each chunk batch is committed (kill a publish mid-way). */
  afterBatch?(runLocalId: number, events: number): void | Promise<void>;
  /** Bytes of chunk data per INSERT (default 4 MiB). */
  batchBytes?: number;
}

export interface PublishProgress {
  runId: number;
  runsDone: number;
  runsTotal: number;
  /** Events of the session's runs stored in the lab so far (including earlier publishes). */
  events: number;
  eventsTotal: number;
}

export type RunPublishOutcome = 'published' | 'resumed' | 'unchanged' | 'skipped-running';

export interface PublishedRun {
  localId: number;
  labId: number | null;
  outcome: RunPublishOutcome;
  events: number;
}

export interface PublishResult {
  lab: string;
  bench: string;
  sessionId: number;
  labSessionId: number;
  runs: PublishedRun[];
  /** Events sent in this call (0 when everything was already there). */
  eventsSent: number;
  comparisons: number;
  notes: number;
  topologies: number;
  seconds: number;
}

const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');
const FINAL = new Set(['passed', 'failed', 'error', 'interrupted']);
/** PostgreSQL's limit on bind parameters per statement is 65535: 4 per chunk. */
const MAX_CHUNKS_PER_INSERT = 4000;

interface LocalRun {
  id: number;
  sequence: string;
  topology: string;
  targets: string;
  status: string;
  started_at: string;
  ended_at: string | null;
  summary: string | null;
  event_count: number;
  layout: string;
  topology_json: string | null;
}

async function one<T>(c: LabClient | LabConnection, sql: string, params: unknown[], doing: string): Promise<T> {
  const rows = 'where' in c ? await c.query(sql, params, doing) : (await c.query(sql, params)).rows;
  return rows[0] as T;
}

/** The bench row (created or touched) and this store's row; returns the bench id. */
async function registerBench(lab: LabConnection, bench: string, uuid: string, path: string): Promise<number> {
  const b = await one<{ id: string }>(
    lab,
    `INSERT INTO cxl_bench.benches (name, host) VALUES ($1, $2)
     ON CONFLICT (name) DO UPDATE SET last_seen = now(), host = excluded.host RETURNING id`,
    [bench, hostname()],
    'registering the bench',
  );
  const benchId = Number(b.id);
  await lab.query('INSERT INTO cxl_bench.stores (uuid, bench_id, path) VALUES ($1, $2, $3) ON CONFLICT (uuid) DO NOTHING', [uuid, benchId, path], 'registering the store');
  return benchId;
}

async function putTopology(c: LabClient | LabConnection, json: string): Promise<string> {
  const sha = sha256(json);
  const sql = 'INSERT INTO cxl_bench.topologies (sha256, json) VALUES ($1, $2) ON CONFLICT (sha256) DO NOTHING';
  if ('where' in c) await c.query(sql, [sha, json], 'storing a topology');
  else await c.query(sql, [sha, json]);
  return sha;
}

/** Publish session `sessionId` of `store` to the lab (creating or upgrading the lab schema first). */
export async function publishSession(lab: LabConnection, store: Store, sessionId: number, opts: PublishOptions): Promise<PublishResult> {
  const t0 = performance.now();
  const session = store.sessions.get(sessionId);
  if (!session) throw new LabError('data', `session ${sessionId} does not exist in ${store.path}`);
  await migrateLab(lab);
  const uuid = storeUuid(store);
  const labUuid = (await one<{ uuid: string }>(lab, 'SELECT uuid FROM cxl_bench.lab_identity LIMIT 1', [], 'reading the lab identity')).uuid;
  const benchId = await registerBench(lab, opts.bench, uuid, store.path);
  const s = await one<{ id: string }>(
    lab,
    `INSERT INTO cxl_bench.sessions (store_uuid, local_id, bench_id, name, created_at) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (store_uuid, local_id) DO UPDATE SET name = excluded.name RETURNING id`,
    [uuid, sessionId, benchId, session.name, session.createdAt],
    'publishing the session',
  );
  const labSessionId = Number(s.id);

  const runs = store.db
    .prepare<[number], LocalRun>(
      'SELECT id, sequence, topology, targets, status, started_at, ended_at, summary, event_count, layout, topology_json FROM runs WHERE session_id = ? ORDER BY id',
    )
    .all(sessionId);
  const eventsTotal = runs.filter((r) => FINAL.has(r.status)).reduce((n, r) => n + r.event_count, 0);
  let eventsDone = 0;
  let eventsSent = 0;
  const out: PublishedRun[] = [];
  const labRunOf = new Map<number, number>();
  const markPublished = store.db.prepare('INSERT OR REPLACE INTO lab_published (run_id, lab_uuid, lab_run_id, published_at) VALUES (?, ?, ?, ?)');

  for (const [i, r] of runs.entries()) {
    if (opts.signal?.aborted) throw new LabError('cancelled', `publish of session ${sessionId} cancelled after ${i} of ${runs.length} runs; publish again to continue`);
    if (!FINAL.has(r.status)) {
      out.push({ localId: r.id, labId: null, outcome: 'skipped-running', events: 0 });
      continue;
    }
    const res = await publishRun(lab, store, r, { uuid, benchId, labSessionId }, opts, (ev) =>
      opts.onProgress?.({ runId: r.id, runsDone: i, runsTotal: runs.length, events: eventsDone + ev, eventsTotal }),
    );
    eventsDone += r.event_count;
    eventsSent += res.sent;
    labRunOf.set(r.id, res.labId);
    markPublished.run(r.id, labUuid, res.labId, new Date().toISOString());
    out.push({ localId: r.id, labId: res.labId, outcome: res.outcome, events: r.event_count });
    opts.onProgress?.({ runId: r.id, runsDone: i + 1, runsTotal: runs.length, events: eventsDone, eventsTotal });
  }

  const extras = await publishExtras(lab, store, sessionId, labSessionId, benchId, labRunOf, runs);
  return { lab: lab.where, bench: opts.bench, sessionId, labSessionId, runs: out, eventsSent, ...extras, seconds: (performance.now() - t0) / 1000 };
}

interface RunKeys {
  uuid: string;
  benchId: number;
  labSessionId: number;
}

async function publishRun(
  lab: LabConnection,
  store: Store,
  r: LocalRun,
  k: RunKeys,
  opts: PublishOptions,
  progress: (events: number) => void,
): Promise<{ labId: number; outcome: RunPublishOutcome; sent: number }> {
  const existing = await one<{ id: string; complete: boolean; started_at: Date; sequence: string } | undefined>(
    lab,
    'SELECT id, complete, started_at, sequence FROM cxl_bench.runs WHERE store_uuid = $1 AND local_id = $2',
    [k.uuid, r.id],
    'looking up the run',
  );
  if (existing && (existing.sequence !== r.sequence || existing.started_at.getTime() !== new Date(r.started_at).getTime()))
    throw new LabError(
      'data',
      `run ${r.id} of ${store.path} differs from the run the lab holds under this store's identity (a copied database file?): give this file its own identity with \`cxl-bench lab publish --new-identity\``,
    );
  if (existing?.complete) return { labId: Number(existing.id), outcome: 'unchanged', sent: 0 };

  const topologySha = r.topology_json ? await putTopology(lab, r.topology_json) : null;
  const row = await one<{ id: string }>(
    lab,
    `INSERT INTO cxl_bench.runs (session_id, store_uuid, local_id, bench_id, sequence, topology, targets, status, started_at, ended_at,
                                 summary, event_count, layout, topology_sha)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
     ON CONFLICT (store_uuid, local_id) DO UPDATE SET status = excluded.status, summary = excluded.summary, ended_at = excluded.ended_at
     RETURNING id`,
    [k.labSessionId, k.uuid, r.id, k.benchId, r.sequence, r.topology, r.targets, r.status, r.started_at, r.ended_at, r.summary, r.event_count, r.layout, topologySha],
    'publishing a run',
  );
  const labId = Number(row.id);
  // Resume after the last chunk the lab already holds (batches are whole: see the header).
  const resumeAt = Number(
    (await one<{ n: string }>(lab, 'SELECT COALESCE(max(first_seq + count), 0) AS n FROM cxl_bench.event_chunks WHERE run_id = $1', [labId], 'resuming the trace')).n,
  );
  const sent = await sendChunks(lab, store, r.id, labId, resumeAt, opts, progress);

  const devices = runDevices(store, r.id, opts.identity);
  const nodes = store.chunks.nodes(r.id);
  const steps = store.steps.list(r.id);
  const logs = store.db
    .prepare<[number], { id: number; time: string; level: string; message: string }>('SELECT id, time, level, message FROM logs WHERE run_id = ? ORDER BY id')
    .all(r.id);
  await lab.tx(`completing run ${r.id}`, async (c) => {
    if (nodes.length)
      await c.query(
        'INSERT INTO cxl_bench.run_nodes (run_id, node_index, path) SELECT $1, i - 1, p FROM unnest($2::text[]) WITH ORDINALITY AS t(p, i) ON CONFLICT DO NOTHING',
        [labId, nodes],
      );
    if (steps.length)
      await c.query(
        `INSERT INTO cxl_bench.steps (run_id, seq, name, verdict, reason, evidence, event_seq)
         SELECT $1, * FROM unnest($2::int[], $3::text[], $4::text[], $5::text[], $6::text[], $7::bigint[]) ON CONFLICT DO NOTHING`,
        [labId, steps.map((x) => x.seq), steps.map((x) => x.name), steps.map((x) => x.verdict), steps.map((x) => x.reason), steps.map((x) => x.evidence), steps.map((x) => x.eventSeq)],
      );
    if (logs.length)
      await c.query(
        `INSERT INTO cxl_bench.logs (run_id, local_id, time, level, message)
         SELECT $1, * FROM unnest($2::bigint[], $3::timestamptz[], $4::text[], $5::text[]) ON CONFLICT DO NOTHING`,
        [labId, logs.map((x) => x.id), logs.map((x) => x.time), logs.map((x) => x.level), logs.map((x) => x.message)],
      );
    for (const d of devices) {
      const build = await c.query<{ id: string }>(
        `INSERT INTO cxl_bench.builds (revision, gateware, firmware) VALUES ($1, $2, $3)
         ON CONFLICT (revision, gateware, firmware) DO UPDATE SET revision = excluded.revision RETURNING id`,
        [d.revision, d.gateware, d.firmware],
      );
      let boardId: string | null = null;
      if (d.kind === 'hardware' && d.serial) {
        const b = await c.query<{ id: string }>(
          `INSERT INTO cxl_bench.boards (serial, revision, gateware, firmware, last_bench_id) VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (serial) DO UPDATE SET revision = excluded.revision, gateware = excluded.gateware, firmware = excluded.firmware,
             last_bench_id = excluded.last_bench_id, last_seen = now()
           RETURNING id`,
          [d.serial, d.revision, d.gateware, d.firmware, k.benchId],
        );
        boardId = b.rows[0]!.id;
      }
      let mapSha: string | null = null;
      if (d.mapJson) {
        mapSha = sha256(d.mapJson);
        await c.query('INSERT INTO cxl_bench.device_maps (sha256, json) VALUES ($1, $2) ON CONFLICT DO NOTHING', [mapSha, d.mapJson]);
      }
      await c.query(
        `INSERT INTO cxl_bench.run_devices (run_id, node, kind, serial, board_id, build_id, link, map_sha) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT DO NOTHING`,
        [labId, d.node, d.kind, d.serial, boardId, build.rows[0]!.id, d.link, mapSha],
      );
    }
    const stored = await c.query<{ n: string }>('SELECT COALESCE(sum(count), 0) AS n FROM cxl_bench.event_chunks WHERE run_id = $1', [labId]);
    if (Number(stored.rows[0]!.n) !== store.chunks.committedEvents(r.id))
      throw new LabError('data', `run ${r.id}: the lab holds ${stored.rows[0]!.n} events, the bench ${store.chunks.committedEvents(r.id)}; publish again`);
    await c.query('UPDATE cxl_bench.runs SET complete = true, published_at = now() WHERE id = $1', [labId]);
  });
  return { labId, outcome: resumeAt > 0 ? 'resumed' : 'published', sent };
}

/** Chunks of local run `runId` from `from` on, in batches of about `batchBytes` — each one INSERT, its own transaction. */
async function sendChunks(
  lab: LabConnection,
  store: Store,
  runId: number,
  labId: number,
  from: number,
  opts: PublishOptions,
  progress: (events: number) => void,
): Promise<number> {
  const budget = opts.batchBytes ?? 4 << 20;
  // Keyset pages rather than one open iterator: the store stays usable by others between batches.
  const page = store.db.prepare<[number, number, number], { first_seq: number; count: number; bytes: Buffer }>(
    'SELECT first_seq, count, bytes FROM event_chunks WHERE run_id = ? AND first_seq >= ? ORDER BY first_seq LIMIT ?',
  );
  let next = from;
  let sent = 0;
  const client = await lab.client('sending trace chunks');
  let broken: Error | undefined;
  try {
    for (;;) {
      if (opts.signal?.aborted) throw new LabError('cancelled', `publish cancelled during run ${runId} (${sent} events sent); publish again to continue`);
      const rows: { first_seq: number; count: number; bytes: Buffer }[] = [];
      let bytes = 0;
      for (const c of page.iterate(runId, next, MAX_CHUNKS_PER_INSERT)) {
        rows.push(c);
        bytes += c.bytes.length;
        if (bytes >= budget) break;
      }
      if (rows.length === 0) break;
      const params: unknown[] = [];
      const values: string[] = [];
      for (const c of rows) {
        const p = params.length;
        values.push(`($1, $${p + 2}, $${p + 3}, $${p + 4})`);
        params.push(c.first_seq, c.count, c.bytes);
      }
      try {
        await client.query(`INSERT INTO cxl_bench.event_chunks (run_id, first_seq, count, bytes) VALUES ${values.join(', ')} ON CONFLICT DO NOTHING`, [labId, ...params]);
      } catch (e) {
        broken = e as Error;
        throw e;
      }
      const last = rows[rows.length - 1]!;
      next = last.first_seq + last.count;
      sent += rows.reduce((n, c) => n + c.count, 0);
      progress(next);
      await opts.afterBatch?.(runId, next);
    }
  } catch (e) {
    if (e instanceof LabError) throw e;
    const { labErrorFrom } = await import('./lab-error.js');
    const le = labErrorFrom(e, lab.where, `sending run ${runId}'s trace`);
    le.message = lab.redact(le.message) + ' (publish again to continue where it stopped)';
    throw le;
  } finally {
    client.release(broken);
  }
  return sent;
}

/** Comparisons and notes of the session (those whose runs are in the lab), and the saved topologies its runs name. */
async function publishExtras(
  lab: LabConnection,
  store: Store,
  sessionId: number,
  labSessionId: number,
  benchId: number,
  labRunOf: ReadonlyMap<number, number>,
  runs: readonly LocalRun[],
): Promise<{ comparisons: number; notes: number; topologies: number }> {
  const comparisons = store.db
    .prepare<[number], { id: number; run_a: number; run_b: number; created_at: string; summary: string; masks: string; node_map: string; options: string; summary_json: string | null }>(
      'SELECT id, run_a, run_b, created_at, summary, masks, node_map, options, summary_json FROM comparisons WHERE session_id = ? ORDER BY id',
    )
    .all(sessionId)
    .filter((c) => labRunOf.has(c.run_a) && labRunOf.has(c.run_b));
  const notes = store.db
    .prepare<[number], { id: number; run_id: number | null; created_at: string; text: string }>('SELECT id, run_id, created_at, text FROM notes WHERE session_id = ? ORDER BY id')
    .all(sessionId)
    .filter((n) => n.run_id === null || labRunOf.has(n.run_id));
  const names = [...new Set(runs.map((r) => r.topology))];
  const saved = names.map((n) => store.topologies.get(n)).filter((t) => t !== undefined);
  return lab.tx('publishing comparisons, notes and topologies', async (c) => {
    for (const x of comparisons)
      await c.query(
        `INSERT INTO cxl_bench.comparisons (session_id, local_id, run_a, run_b, created_at, summary, masks, node_map, options, summary_json)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (session_id, local_id) DO NOTHING`,
        [labSessionId, x.id, labRunOf.get(x.run_a), labRunOf.get(x.run_b), x.created_at, x.summary, x.masks, x.node_map, x.options, x.summary_json],
      );
    for (const n of notes)
      await c.query(
        `INSERT INTO cxl_bench.notes (session_id, local_id, run_id, created_at, text) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (session_id, local_id) DO UPDATE SET text = excluded.text`,
        [labSessionId, n.id, n.run_id === null ? null : labRunOf.get(n.run_id), n.created_at, n.text],
      );
    for (const t of saved) {
      const sha = await putTopology(c, t.json);
      await c.query(
        `INSERT INTO cxl_bench.saved_topologies (bench_id, name, sha256, updated_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (bench_id, name) DO UPDATE SET sha256 = excluded.sha256, updated_at = excluded.updated_at`,
        [benchId, t.name, sha, t.updatedAt],
      );
    }
    return { comparisons: comparisons.length, notes: notes.length, topologies: saved.length };
  });
}
