// The topologies table (DESIGN.md 6; issue 7): topology files saved under a name — their JSON text exactly as
// given, validated by the caller (main/api/calls-topologies.ts) before it gets here.

import type Database from 'better-sqlite3';

export interface SavedTopology {
  name: string;
  json: string;
  createdAt: string; // ISO 8601
  updatedAt: string;
}

interface TopologyRow {
  name: string;
  json: string;
  created_at: string;
  updated_at: string;
}

const toSaved = (r: TopologyRow): SavedTopology => ({ name: r.name, json: r.json, createdAt: r.created_at, updatedAt: r.updated_at });

export class TopologiesRepo {
  private readonly upsertStmt;
  private readonly getStmt;
  private readonly listStmt;
  private readonly deleteStmt;

  constructor(db: Database.Database) {
    // A second save under the same name replaces the JSON and keeps the creation time.
    this.upsertStmt = db.prepare<[string, string, string, string]>(
      `INSERT INTO topologies (name, json, created_at, updated_at) VALUES (?, ?, ?, ?)
       ON CONFLICT(name) DO UPDATE SET json = excluded.json, updated_at = excluded.updated_at`,
    );
    this.getStmt = db.prepare<[string], TopologyRow>('SELECT name, json, created_at, updated_at FROM topologies WHERE name = ?');
    this.listStmt = db.prepare<[], TopologyRow>('SELECT name, json, created_at, updated_at FROM topologies ORDER BY name');
    this.deleteStmt = db.prepare<[string]>('DELETE FROM topologies WHERE name = ?');
  }

  save(name: string, json: string, now = new Date()): SavedTopology {
    const t = now.toISOString();
    this.upsertStmt.run(name, json, t, t);
    return this.get(name)!;
  }

  get(name: string): SavedTopology | undefined {
    const r = this.getStmt.get(name);
    return r && toSaved(r);
  }

  list(): SavedTopology[] {
    return this.listStmt.all().map(toSaved);
  }

  delete(name: string): boolean {
    return this.deleteStmt.run(name).changes > 0;
  }
}
