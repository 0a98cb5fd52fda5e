// Opening the store's SQLite file (DESIGN.md 6): WAL so a run worker writes while the main thread reads,
// foreign keys on, migrations applied. The main process opens with `recover` so runs a crash left 'running'
// become 'interrupted'; a run worker opens the same file with neither migrations nor recovery.

import Database from 'better-sqlite3';
import { loadMigrations, migrate, type Migration } from './migrate.js';

export interface OpenOptions {
  /** Apply migrations (default true). */
  migrate?: boolean;
  /** Override the migration list (tests of upgrades); default: every file in migrations/. */
  migrations?: readonly Migration[];
  /** Mark runs left 'running'/'queued' as 'interrupted' (default true; false in run workers). */
  recover?: boolean;
  readonly?: boolean;
}

export function openDb(path: string, opts: OpenOptions = {}): Database.Database {
  const db = new Database(path, { readonly: opts.readonly ?? false });
  // Wait for the other connection (worker vs main) instead of failing with SQLITE_BUSY.
  db.pragma('busy_timeout = 5000');
  if (!opts.readonly) {
    db.pragma('journal_mode = WAL');
    // NORMAL is durable across application crashes in WAL mode; only power loss may drop the last commits.
    db.pragma('synchronous = NORMAL');
  }
  db.pragma('foreign_keys = ON');
  if (opts.migrate ?? true) migrate(db, opts.migrations ?? loadMigrations());
  if (!opts.readonly && (opts.recover ?? true)) recoverInterruptedRuns(db);
  return db;
}

/** Runs still 'running' or 'queued' on open belong to a process that died: mark them 'interrupted'. */
export function recoverInterruptedRuns(db: Database.Database): number {
  const r = db
    .prepare(
      `UPDATE runs SET status = 'interrupted', ended_at = COALESCE(ended_at, ?),
         summary = COALESCE(summary, 'interrupted: the process running it stopped')
       WHERE status IN ('running', 'queued')`,
    )
    .run(new Date().toISOString());
  return r.changes;
}
