// The logs table: what happened, to which run, at which level; paged newest-last for the UI.

import type Database from 'better-sqlite3';
import type { LogRow, Page } from '../api/contract.js';

interface Row {
  id: number;
  run_id: number | null;
  time: string;
  level: LogRow['level'];
  message: string;
}

const toLog = (r: Row): LogRow => ({ id: r.id, runId: r.run_id, time: r.time, level: r.level, message: r.message });

export class LogsRepo {
  private readonly insertStmt;
  private readonly getStmt;
  private readonly pageAllStmt;
  private readonly pageRunStmt;
  private readonly countAllStmt;
  private readonly countRunStmt;

  constructor(db: Database.Database) {
    this.insertStmt = db.prepare<[number | null, string, LogRow['level'], string]>(
      'INSERT INTO logs (run_id, time, level, message) VALUES (?, ?, ?, ?)',
    );
    this.getStmt = db.prepare<[number], Row>('SELECT * FROM logs WHERE id = ?');
    this.pageAllStmt = db.prepare<[number, number], Row>('SELECT * FROM logs ORDER BY id LIMIT ? OFFSET ?');
    this.pageRunStmt = db.prepare<[number, number, number], Row>('SELECT * FROM logs WHERE run_id = ? ORDER BY id LIMIT ? OFFSET ?');
    this.countAllStmt = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM logs');
    this.countRunStmt = db.prepare<[number], { n: number }>('SELECT count(*) AS n FROM logs WHERE run_id = ?');
  }

  append(runId: number | null, level: LogRow['level'], message: string, now = new Date()): LogRow {
    const id = Number(this.insertStmt.run(runId, now.toISOString(), level, message).lastInsertRowid);
    return toLog(this.getStmt.get(id)!);
  }

  page(runId: number | undefined, offset: number, limit: number): Page<LogRow> {
    const total = runId === undefined ? this.countAllStmt.get()!.n : this.countRunStmt.get(runId)!.n;
    const rows = runId === undefined ? this.pageAllStmt.all(limit, offset) : this.pageRunStmt.all(runId, limit, offset);
    return { total, offset, rows: rows.map(toLog) };
  }
}
