import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { loadMigrations, migrate, schemaVersion } from '../../main/store/migrate.js';
import { openDb } from '../../main/store/open-db.js';
import { openStore } from '../../main/store/store.js';

const dirs: string[] = [];
const tmpDb = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'cxl-store-'));
  dirs.push(d);
  return join(d, 'bench.sqlite');
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const tables = (db: Database.Database): string[] =>
  (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map((r) => r.name);

describe('migrations', () => {
  const all = loadMigrations();

  it('are numbered densely from 0001 and include the init schema', () => {
    expect(all.length).toBeGreaterThanOrEqual(1);
    expect(all.map((m) => m.version)).toEqual(all.map((_, i) => i + 1));
    expect(all[0].name).toBe('init');
  });

  it('an empty file migrates to the newest schema, in WAL mode, with every table', () => {
    const db = openDb(tmpDb());
    expect(schemaVersion(db)).toBe(all[all.length - 1].version);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(tables(db)).toEqual(expect.arrayContaining(['sessions', 'runs', 'run_nodes', 'event_chunks', 'steps', 'logs']));
    db.close();
  });

  it.each(all.slice(0, -1).map((m) => m.version))('a schema %i database upgrades and keeps its data', (from) => {
    const path = tmpDb();
    const old = openDb(path, { migrations: all.slice(0, from), recover: false });
    expect(schemaVersion(old)).toBe(from);
    old.prepare("INSERT INTO sessions (name, created_at) VALUES ('kept', '2026-01-01T00:00:00Z')").run();
    old.close();

    const store = openStore(path);
    expect(schemaVersion(store.db)).toBe(all[all.length - 1].version);
    expect(store.sessions.list().map((s) => s.name)).toEqual(['kept']);
    store.close();
  });

  it('reopening applies nothing twice', () => {
    const path = tmpDb();
    openDb(path).close();
    const db = new Database(path);
    expect(migrate(db, all)).toEqual([]);
    db.close();
  });

  it('a failing migration rolls back entirely and leaves the version where it was', () => {
    const path = tmpDb();
    const db = new Database(path);
    const broken = [...all, { version: all.length + 1, name: 'broken', sql: 'CREATE TABLE half (x); SELECT * FROM no_such_table;' }];
    expect(() => migrate(db, broken)).toThrow();
    expect(schemaVersion(db)).toBe(all.length);
    expect(tables(db)).not.toContain('half');
    db.close();
  });

  it('refuses a database newer than the code before writing to it (no switch to WAL, no -wal file)', () => {
    const path = tmpDb();
    const db = new Database(path);
    db.exec('CREATE TABLE from_the_future (x)');
    db.pragma(`user_version = ${all.length + 5}`);
    db.close();
    const before = readFileSync(path);
    expect(() => openDb(path)).toThrow(`${path}: database schema ${all.length + 5} is newer than this build (${all.length}); open it with a newer cxl-bench (the file was not changed)`);
    const after = readFileSync(path);
    // File format bytes 18-19 are 1 (rollback journal) and would be 2 after a switch to WAL (sqlite.org/fileformat2.html 1.3).
    expect([after[18], after[19]]).toEqual([1, 1]);
    expect(after.equals(before)).toBe(true);
    expect(existsSync(`${path}-wal`)).toBe(false);
  });
});
