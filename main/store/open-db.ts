// Opening the store's SQLite file (DESIGN.md 6): WAL so a run worker writes while the main thread reads,
// foreign keys on, migrations applied. The main process opens with `recover` so runs a crash left 'running'
// become 'interrupted'; a run worker opens the same file with neither migrations nor recovery.

import { hostname } from 'node:os';
import Database from 'better-sqlite3';
import type { RunStatus } from '../api/contract.js';
import { loadMigrations, migrate, schemaVersion, type Migration } from './migrate.js';
import { clearPendingOutcomes, readPendingOutcomes, type PendingOutcome } from './pending-outcomes.js';

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
  const migrations = (opts.migrate ?? true) ? (opts.migrations ?? loadMigrations()) : undefined;
  // A file from a newer build is refused before anything here writes to it (WAL mode is stored in the file's
  // header, and a newer build may rely on its own journal settings): issue 16.
  if (migrations) {
    const latest = migrations.length ? migrations[migrations.length - 1].version : 0;
    const current = schemaVersion(db);
    if (current > latest) {
      db.close();
      throw new Error(`${path}: database schema ${current} is newer than this build (${latest}); open it with a newer cxl-bench (the file was not changed)`);
    }
  }
  if (!opts.readonly) {
    db.pragma('journal_mode = WAL');
    // NORMAL is durable across application crashes in WAL mode; only power loss may drop the last commits.
    db.pragma('synchronous = NORMAL');
  }
  db.pragma('foreign_keys = ON');
  if (migrations) migrate(db, migrations);
  if (!opts.readonly && (opts.recover ?? true)) recoverInterruptedRuns(db, ownerAlive, path);
  return db;
}

interface OpenRunRow {
  id: number;
  owner_host: string | null;
  owner_pid: number | null;
}

/** Runs still 'running' or 'queued' whose owning process is gone (read only: nothing is written). */
export function orphanedRuns(db: Database.Database, alive: (host: string | null, pid: number | null) => boolean = ownerAlive): number[] {
  return db
    .prepare<[], OpenRunRow>("SELECT id, owner_host, owner_pid FROM runs WHERE status IN ('running', 'queued')")
    .all()
    .filter((r) => !alive(r.owner_host, r.owner_pid))
    .map((r) => r.id);
}

/**
 * Runs still 'running' or 'queued' whose owning process is gone (crashed, killed) become 'interrupted' — or
 * take the outcome their process knew but could not store (pending-outcomes.ts, beside the file at `path`). A
 * run owned by a live process on this host — the app, `serve`, another CLI — is left alone.
 */
export function recoverInterruptedRuns(db: Database.Database, alive: (host: string | null, pid: number | null) => boolean = ownerAlive, path?: string): number {
  const orphans = orphanedRuns(db, alive);
  const pending = path ? readPendingOutcomes(path) : new Map<number, PendingOutcome>();
  const mark = db.prepare<[string, number]>(
    `UPDATE runs SET status = 'interrupted', ended_at = COALESCE(ended_at, ?),
       summary = COALESCE(summary, 'interrupted: the process running it stopped')
     WHERE id = ? AND status IN ('running', 'queued')`,
  );
  const settle = db.prepare<[RunStatus, string, string, number]>(
    "UPDATE runs SET status = ?, summary = ?, ended_at = ? WHERE id = ? AND status IN ('running', 'queued')",
  );
  const now = new Date().toISOString();
  let n = 0;
  for (const id of orphans) {
    const o = pending.get(id);
    n += (o ? settle.run(o.status, o.summary, o.endedAt, id) : mark.run(now, id)).changes;
  }
  // Every kept outcome is in the store now (or its run was settled since): the file has done its job.
  if (path && pending.size) {
    const open = db.prepare<[], { id: number }>("SELECT id FROM runs WHERE status IN ('running', 'queued')").all();
    if (open.every((r) => !pending.has(r.id))) clearPendingOutcomes(path);
  }
  return n;
}

/** This process's identity as recorded in runs.owner_host / owner_pid. */
export const currentOwner = (): { host: string; pid: number } => ({ host: hostname(), pid: process.pid });

/** Is the process that owns a run still running? Unknown owners (older rows) and other hosts count as gone. */
export function ownerAlive(host: string | null, pid: number | null): boolean {
  if (host === null || pid === null || host !== hostname()) return false;
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
