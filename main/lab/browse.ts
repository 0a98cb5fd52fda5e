// Reading the lab store (issue 17): benches, boards, sessions, runs (filtered by bench, board, revision, build),
// one run with its steps and devices, and pages of a lab run's trace decoded straight from its chunks — only
// the chunks a page needs are fetched, so the first page of a 1 M-event run costs one or two chunk reads.
// Only complete runs are visible (publish.ts). Works for read-only users.

import type { Verdict } from '../../common/trace-sink.js';
import { decodeChunk } from '../../trace/chunk-codec.js';
import type { Layout } from '../../common/layout.js';
import type { LabBench, LabBoard, LabDevice, LabRun, LabRunDetail, LabRunFilter, LabSession, LabTopology } from '../api/contract-lab.js';
import type { Page, RunStatus, Step, TraceRow } from '../api/contract.js';
import { layoutDecoder } from '../store/row-decoder.js';
import { eventToRow } from '../store/trace-rows.js';
import type { LabConnection } from './lab-connection.js';
import { LabError } from './lab-error.js';

const iso = (d: Date | string | null): string | null => (d === null ? null : d instanceof Date ? d.toISOString() : String(d));

export async function listBenches(lab: LabConnection): Promise<LabBench[]> {
  const rows = await lab.query<{ id: string; name: string; host: string; first_seen: Date; last_seen: Date; sessions: string; runs: string }>(
    `SELECT b.id, b.name, b.host, b.first_seen, b.last_seen,
            (SELECT count(*) FROM cxl_bench.sessions s WHERE s.bench_id = b.id) AS sessions,
            (SELECT count(*) FROM cxl_bench.runs r WHERE r.bench_id = b.id AND r.complete) AS runs
     FROM cxl_bench.benches b ORDER BY b.name`,
    [],
    'listing benches',
  );
  return rows.map((r) => ({ id: Number(r.id), name: r.name, host: r.host, firstSeen: iso(r.first_seen)!, lastSeen: iso(r.last_seen)!, sessions: Number(r.sessions), runs: Number(r.runs) }));
}

export async function listBoards(lab: LabConnection): Promise<LabBoard[]> {
  const rows = await lab.query<{ id: string; serial: string; revision: string; gateware: string; firmware: string; bench: string | null; last_seen: Date; runs: string }>(
    `SELECT bo.id, bo.serial, bo.revision, bo.gateware, bo.firmware, be.name AS bench, bo.last_seen,
            (SELECT count(DISTINCT d.run_id) FROM cxl_bench.run_devices d JOIN cxl_bench.runs r ON r.id = d.run_id AND r.complete WHERE d.board_id = bo.id) AS runs
     FROM cxl_bench.boards bo LEFT JOIN cxl_bench.benches be ON be.id = bo.last_bench_id
     ORDER BY bo.revision, bo.serial`,
    [],
    'listing boards',
  );
  return rows.map((r) => ({
    id: Number(r.id),
    serial: r.serial,
    revision: r.revision,
    gateware: r.gateware,
    firmware: r.firmware,
    bench: r.bench ?? '',
    lastSeen: iso(r.last_seen)!,
    runs: Number(r.runs),
  }));
}

export async function listSessions(lab: LabConnection, bench?: string): Promise<LabSession[]> {
  const rows = await lab.query<{ id: string; bench: string; name: string; created_at: Date; published_at: Date; runs: string; comparisons: string; notes: string }>(
    `SELECT s.id, b.name AS bench, s.name, s.created_at, s.published_at,
            (SELECT count(*) FROM cxl_bench.runs r WHERE r.session_id = s.id AND r.complete) AS runs,
            (SELECT count(*) FROM cxl_bench.comparisons c WHERE c.session_id = s.id) AS comparisons,
            (SELECT count(*) FROM cxl_bench.notes n WHERE n.session_id = s.id) AS notes
     FROM cxl_bench.sessions s JOIN cxl_bench.benches b ON b.id = s.bench_id
     WHERE $1::text IS NULL OR b.name = $1 ORDER BY s.published_at DESC, s.id DESC`,
    [bench ?? null],
    'listing sessions',
  );
  return rows.map((r) => ({
    id: Number(r.id),
    bench: r.bench,
    name: r.name,
    createdAt: iso(r.created_at)!,
    publishedAt: iso(r.published_at)!,
    runs: Number(r.runs),
    comparisons: Number(r.comparisons),
    notes: Number(r.notes),
  }));
}

/** Saved topologies the benches published (by bench, then name), with their JSON. */
export async function listTopologies(lab: LabConnection, bench?: string): Promise<LabTopology[]> {
  const rows = await lab.query<{ bench: string; name: string; sha256: string; updated_at: Date; json: string }>(
    `SELECT b.name AS bench, st.name, st.sha256, st.updated_at, t.json
     FROM cxl_bench.saved_topologies st JOIN cxl_bench.benches b ON b.id = st.bench_id JOIN cxl_bench.topologies t ON t.sha256 = st.sha256
     WHERE $1::text IS NULL OR b.name = $1 ORDER BY b.name, st.name`,
    [bench ?? null],
    'listing saved topologies',
  );
  return rows.map((r) => ({ bench: r.bench, name: r.name, sha256: r.sha256, updatedAt: iso(r.updated_at)!, json: r.json }));
}

interface RunRow {
  id: string;
  bench: string;
  session_id: string;
  session: string;
  local_id: string;
  sequence: string;
  topology: string;
  targets: string;
  status: RunStatus;
  started_at: Date;
  ended_at: Date | null;
  summary: string | null;
  event_count: string;
  n_pass: string;
  n_warn: string;
  n_fail: string;
  n_info: string;
  devices: LabDevice[] | null;
}

const RUN_SELECT = `
  SELECT r.id, b.name AS bench, r.session_id, s.name AS session, r.local_id, r.sequence, r.topology, r.targets, r.status,
         r.started_at, r.ended_at, r.summary, r.event_count,
         (SELECT count(*) FROM cxl_bench.steps x WHERE x.run_id = r.id AND x.verdict = 'pass') AS n_pass,
         (SELECT count(*) FROM cxl_bench.steps x WHERE x.run_id = r.id AND x.verdict = 'warn') AS n_warn,
         (SELECT count(*) FROM cxl_bench.steps x WHERE x.run_id = r.id AND x.verdict = 'fail') AS n_fail,
         (SELECT count(*) FROM cxl_bench.steps x WHERE x.run_id = r.id AND x.verdict = 'info') AS n_info,
         (SELECT json_agg(json_build_object('node', d.node, 'kind', d.kind, 'serial', d.serial, 'revision', bu.revision,
                                            'gateware', bu.gateware, 'firmware', bu.firmware, 'link', d.link) ORDER BY d.node)
          FROM cxl_bench.run_devices d JOIN cxl_bench.builds bu ON bu.id = d.build_id WHERE d.run_id = r.id) AS devices
  FROM cxl_bench.runs r JOIN cxl_bench.benches b ON b.id = r.bench_id JOIN cxl_bench.sessions s ON s.id = r.session_id`;

const toRun = (r: RunRow): LabRun => ({
  id: Number(r.id),
  bench: r.bench,
  sessionId: Number(r.session_id),
  session: r.session,
  localId: Number(r.local_id),
  sequence: r.sequence,
  topology: r.topology,
  targets: r.targets,
  status: r.status,
  startedAt: iso(r.started_at)!,
  endedAt: iso(r.ended_at),
  summary: r.summary,
  eventCount: Number(r.event_count),
  stepCounts: { pass: Number(r.n_pass), warn: Number(r.n_warn), fail: Number(r.n_fail), info: Number(r.n_info) } as Record<Verdict, number>,
  devices: r.devices ?? [],
});

export async function listRuns(lab: LabConnection, f: LabRunFilter = {}): Promise<Page<LabRun>> {
  const where = ['r.complete'];
  const params: unknown[] = [];
  const add = (sql: string, v: unknown) => {
    params.push(v);
    where.push(sql.replace('?', `$${params.length}`));
  };
  if (f.bench !== undefined) add('b.name = ?', f.bench);
  if (f.sessionId !== undefined) add('r.session_id = ?', f.sessionId);
  if (f.sequence !== undefined) add('r.sequence = ?', f.sequence);
  if (f.status !== undefined) add('r.status = ?', f.status);
  const dev: string[] = [];
  const addDev = (sql: string, v: unknown) => {
    params.push(v);
    dev.push(sql.replace('?', `$${params.length}`));
  };
  if (f.serial !== undefined) addDev('d.serial = ?', f.serial);
  if (f.revision !== undefined) addDev('bu.revision = ?', f.revision);
  if (f.gateware !== undefined) addDev('bu.gateware = ?', f.gateware);
  if (dev.length)
    where.push(`EXISTS (SELECT 1 FROM cxl_bench.run_devices d JOIN cxl_bench.builds bu ON bu.id = d.build_id WHERE d.run_id = r.id AND ${dev.join(' AND ')})`);
  const cond = where.join(' AND ');
  const total = await lab.query<{ n: string }>(
    `SELECT count(*) AS n FROM cxl_bench.runs r JOIN cxl_bench.benches b ON b.id = r.bench_id WHERE ${cond}`,
    params,
    'counting runs',
  );
  const offset = f.offset ?? 0;
  const limit = f.limit ?? 100;
  const rows = await lab.query<RunRow>(`${RUN_SELECT} WHERE ${cond} ORDER BY r.started_at DESC, r.id DESC OFFSET ${Number(offset)} LIMIT ${Number(limit)}`, params, 'listing runs');
  return { total: Number(total[0]!.n), offset, rows: rows.map(toRun) };
}

export async function getRun(lab: LabConnection, id: number): Promise<LabRunDetail> {
  const rows = await lab.query<RunRow & { topology_json: string | null }>(
    `${RUN_SELECT.replace('FROM cxl_bench.runs r', ', t.json AS topology_json FROM cxl_bench.runs r LEFT JOIN cxl_bench.topologies t ON t.sha256 = r.topology_sha')}
     WHERE r.id = $1 AND r.complete`,
    [id],
    `reading run ${id}`,
  );
  const r = rows[0];
  if (!r) throw new LabError('data', `lab store ${lab.where} has no run ${id}`);
  const steps = await lab.query<{ seq: number; name: string; verdict: Verdict; reason: string; evidence: string | null; event_seq: string }>(
    'SELECT seq, name, verdict, reason, evidence, event_seq FROM cxl_bench.steps WHERE run_id = $1 ORDER BY seq',
    [id],
    `reading run ${id}'s steps`,
  );
  const out: Step[] = steps.map((s) => ({ seq: s.seq, name: s.name, verdict: s.verdict, reason: s.reason, evidence: s.evidence, eventSeq: Number(s.event_seq) }));
  const notes = await lab.query<{ created_at: Date; text: string; run_id: string | null }>(
    'SELECT created_at, text, run_id FROM cxl_bench.notes WHERE session_id = $1 AND (run_id = $2 OR run_id IS NULL) ORDER BY created_at, id',
    [r.session_id, id],
    `reading run ${id}'s notes`,
  );
  return { ...toRun(r), steps: out, topologyJson: r.topology_json, notes: notes.map((n) => ({ createdAt: iso(n.created_at)!, text: n.text, onSession: n.run_id === null })) };
}

/** Rows [offset, offset + limit) of a lab run's trace, decoded with the run's layout. */
export async function labTracePage(lab: LabConnection, runId: number, offset: number, limit: number): Promise<Page<TraceRow>> {
  const meta = await lab.query<{ event_count: string; layout: string }>('SELECT event_count, layout FROM cxl_bench.runs WHERE id = $1 AND complete', [runId], `reading run ${runId}`);
  if (!meta[0]) throw new LabError('data', `lab store ${lab.where} has no run ${runId}`);
  const total = Number(meta[0].event_count);
  const to = Math.min(total, offset + limit);
  if (to <= offset) return { total, offset, rows: [] };
  const nodes = (await lab.query<{ path: string }>('SELECT path FROM cxl_bench.run_nodes WHERE run_id = $1 ORDER BY node_index', [runId], 'reading nodes')).map((n) => n.path);
  const chunks = await lab.query<{ first_seq: string; count: number; bytes: Buffer }>(
    `SELECT first_seq, count, bytes FROM cxl_bench.event_chunks
     WHERE run_id = $1 AND first_seq < $2
       AND first_seq >= COALESCE((SELECT max(first_seq) FROM cxl_bench.event_chunks WHERE run_id = $1 AND first_seq <= $3), 0)
     ORDER BY first_seq`,
    [runId, to, offset],
    'reading trace chunks',
  );
  const decode = layoutDecoder(JSON.parse(meta[0].layout) as Layout);
  const rows: TraceRow[] = [];
  for (const c of chunks) {
    const first = Number(c.first_seq);
    const evs = decodeChunk(c.bytes, nodes, first);
    for (let i = Math.max(0, offset - first); i < Math.min(c.count, to - first); i++) rows.push(eventToRow(evs[i]!, decode));
  }
  return { total, offset, rows };
}
