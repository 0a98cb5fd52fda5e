// The sessions table: a named workspace that groups runs (DESIGN.md 6).

import type Database from 'better-sqlite3';
import type { Session } from '../api/contract.js';

interface SessionRow {
  id: number;
  name: string;
  created_at: string;
  run_count: number;
}

const SELECT = `SELECT s.id, s.name, s.created_at, (SELECT count(*) FROM runs r WHERE r.session_id = s.id) AS run_count
                FROM sessions s`;

const toSession = (r: SessionRow): Session => ({ id: r.id, name: r.name, createdAt: r.created_at, runCount: r.run_count });

export class SessionsRepo {
  private readonly insertStmt;
  private readonly getStmt;
  private readonly listStmt;
  private readonly renameStmt;
  private readonly deleteStmt;
  private readonly byNameStmt;

  constructor(db: Database.Database) {
    this.insertStmt = db.prepare<[string, string]>('INSERT INTO sessions (name, created_at) VALUES (?, ?)');
    this.getStmt = db.prepare<[number], SessionRow>(`${SELECT} WHERE s.id = ?`);
    this.listStmt = db.prepare<[], SessionRow>(`${SELECT} ORDER BY s.id`);
    this.renameStmt = db.prepare<[string, number]>('UPDATE sessions SET name = ? WHERE id = ?');
    this.deleteStmt = db.prepare<[number]>('DELETE FROM sessions WHERE id = ?');
    this.byNameStmt = db.prepare<[string], SessionRow>(`${SELECT} WHERE s.name = ? ORDER BY s.id LIMIT 1`);
  }

  create(name: string, now = new Date()): Session {
    const id = Number(this.insertStmt.run(name, now.toISOString()).lastInsertRowid);
    return this.get(id)!;
  }

  get(id: number): Session | undefined {
    const r = this.getStmt.get(id);
    return r && toSession(r);
  }

  /** The oldest session of that name, if any (the CLI reuses its "demo" session). */
  findByName(name: string): Session | undefined {
    const r = this.byNameStmt.get(name);
    return r && toSession(r);
  }

  list(): Session[] {
    return this.listStmt.all().map(toSession);
  }

  /** The renamed session, or undefined when there is no such id. */
  rename(id: number, name: string): Session | undefined {
    if (this.renameStmt.run(name, id).changes === 0) return undefined;
    return this.get(id);
  }

  /** Deletes the session with its runs, traces, steps and logs (foreign keys cascade). */
  delete(id: number): boolean {
    return this.deleteStmt.run(id).changes > 0;
  }
}
