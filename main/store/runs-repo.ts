// The runs table: one execution of a sequence on a topology, its status, summary and stored layout.

import type Database from 'better-sqlite3';
import type { Layout } from '../../common/layout.js';
import type { Verdict } from '../../common/trace-sink.js';
import type { Run, RunStatus } from '../api/contract.js';
import { currentOwner } from './open-db.js';

interface RunRow {
  id: number;
  session_id: number;
  sequence: string;
  topology: string;
  targets: string;
  status: RunStatus;
  started_at: string;
  ended_at: string | null;
  summary: string | null;
  event_count: number;
  n_pass: number;
  n_warn: number;
  n_fail: number;
  n_info: number;
}

const count = (v: Verdict): string => `(SELECT count(*) FROM steps s WHERE s.run_id = r.id AND s.verdict = '${v}') AS n_${v}`;
const SELECT = `SELECT r.id, r.session_id, r.sequence, r.topology, r.targets, r.status, r.started_at, r.ended_at,
                       r.summary, r.event_count, ${(['pass', 'warn', 'fail', 'info'] as const).map(count).join(', ')}
                FROM runs r`;

const toRun = (r: RunRow): Run => ({
  id: r.id,
  sessionId: r.session_id,
  sequence: r.sequence,
  topology: r.topology,
  targets: r.targets,
  status: r.status,
  startedAt: r.started_at,
  endedAt: r.ended_at,
  eventCount: r.event_count,
  stepCounts: { pass: r.n_pass, warn: r.n_warn, fail: r.n_fail, info: r.n_info },
  summary: r.summary,
});

export interface NewRun {
  sessionId: number;
  sequence: string;
  topology: string;
  targets?: string;
  status?: RunStatus;
  /** The exact topology JSON the run is built from (null: the empty bench, or a run that has none). */
  topologyJson?: string | null;
}

export const FINAL_STATUSES: readonly RunStatus[] = ['passed', 'failed', 'error', 'interrupted'];

export class RunsRepo {
  private readonly insertStmt;
  private readonly getStmt;
  private readonly listAllStmt;
  private readonly listBySessionStmt;
  private readonly statusStmt;
  private readonly finishStmt;
  private readonly layoutStmt;
  private readonly getLayoutStmt;
  private readonly targetsStmt;
  private readonly topologyJsonStmt;

  constructor(db: Database.Database) {
    this.insertStmt = db.prepare<[number, string, string, string, RunStatus, string, string, number, string | null]>(
      'INSERT INTO runs (session_id, sequence, topology, targets, status, started_at, owner_host, owner_pid, topology_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    this.topologyJsonStmt = db.prepare<[number], { topology_json: string | null }>('SELECT topology_json FROM runs WHERE id = ?');
    this.getStmt = db.prepare<[number], RunRow>(`${SELECT} WHERE r.id = ?`);
    this.listAllStmt = db.prepare<[], RunRow>(`${SELECT} ORDER BY r.id`);
    this.listBySessionStmt = db.prepare<[number], RunRow>(`${SELECT} WHERE r.session_id = ? ORDER BY r.id`);
    this.statusStmt = db.prepare<[RunStatus, number]>('UPDATE runs SET status = ? WHERE id = ?');
    this.finishStmt = db.prepare<[RunStatus, string, string, number]>(
      'UPDATE runs SET status = ?, summary = ?, ended_at = ? WHERE id = ?',
    );
    this.layoutStmt = db.prepare<[string, number]>('UPDATE runs SET layout = ? WHERE id = ?');
    this.getLayoutStmt = db.prepare<[number], { layout: string }>('SELECT layout FROM runs WHERE id = ?');
    this.targetsStmt = db.prepare<[string, number]>('UPDATE runs SET targets = ? WHERE id = ?');
  }

  /** A new run owned by this process (open-db.ts recovery leaves it alone while the process lives). */
  create(r: NewRun, now = new Date()): Run {
    const owner = currentOwner();
    const id = Number(
      this.insertStmt.run(r.sessionId, r.sequence, r.topology, r.targets ?? '', r.status ?? 'running', now.toISOString(), owner.host, owner.pid, r.topologyJson ?? null)
        .lastInsertRowid,
    );
    return this.get(id)!;
  }

  get(id: number): Run | undefined {
    const r = this.getStmt.get(id);
    return r && toRun(r);
  }

  list(sessionId?: number): Run[] {
    return (sessionId === undefined ? this.listAllStmt.all() : this.listBySessionStmt.all(sessionId)).map(toRun);
  }

  setStatus(id: number, status: RunStatus): void {
    this.statusStmt.run(status, id);
  }

  finish(id: number, status: RunStatus, summary: string, now = new Date()): void {
    this.finishStmt.run(status, summary, now.toISOString(), id);
  }

  setLayout(id: number, layout: Layout): void {
    this.layoutStmt.run(JSON.stringify(layout), id);
  }

  layout(id: number): Layout {
    const r = this.getLayoutStmt.get(id);
    return r ? (JSON.parse(r.layout) as Layout) : [];
  }

  /** The topology JSON a run was built from (null when it has none recorded). */
  topologyJson(id: number): string | null {
    return this.topologyJsonStmt.get(id)?.topology_json ?? null;
  }

  setTargets(id: number, targets: string): void {
    this.targetsStmt.run(targets, id);
  }
}
