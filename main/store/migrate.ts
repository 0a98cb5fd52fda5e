// Schema migrations (DESIGN.md 6): migrations/NNNN_name.sql applied in number order, each in its own
// transaction, the last applied number kept in PRAGMA user_version. Any earlier schema (including an empty
// file, version 0) upgrades to the newest by applying the files above its version.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type Database from 'better-sqlite3';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

const FILE_RE = /^(\d{4})_([a-z0-9_]+)\.sql$/;

/**
 * Where migrations/ lives: $CXL_BENCH_MIGRATIONS, else the first of the repo root (from main/store/ in the
 * sources) or next to a bundle (out/main/ -> ../../migrations, ../migrations), else ./migrations.
 */
export function defaultMigrationsDir(): string {
  const env = globalThis.process?.env?.CXL_BENCH_MIGRATIONS;
  if (env) return env;
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [resolve(here, '../../migrations'), resolve(here, '../migrations'), resolve('migrations')];
  return candidates.find((d) => existsSync(join(d, '0001_init.sql'))) ?? candidates[0];
}

/** Every migration file of `dir`, ordered; numbers must run 1, 2, 3 ... without gaps. */
export function loadMigrations(dir = defaultMigrationsDir()): Migration[] {
  const out: Migration[] = [];
  for (const f of readdirSync(dir).sort()) {
    const m = FILE_RE.exec(f);
    if (!m) continue;
    out.push({ version: Number(m[1]), name: m[2], sql: readFileSync(join(dir, f), 'utf8') });
  }
  out.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`migrations: expected ${String(i + 1).padStart(4, '0')}_*.sql, found ${m.version}_${m.name}.sql`);
  });
  return out;
}

export const schemaVersion = (db: Database.Database): number => db.pragma('user_version', { simple: true }) as number;

/**
 * Bring `db` up to the last of `migrations`. Returns the versions applied. A database newer than the code
 * (user_version above the last file) is refused rather than silently used.
 */
export function migrate(db: Database.Database, migrations: readonly Migration[]): number[] {
  const current = schemaVersion(db);
  const latest = migrations.length ? migrations[migrations.length - 1].version : 0;
  if (current > latest) throw new Error(`database schema ${current} is newer than this build (${latest})`);
  const applied: number[] = [];
  for (const m of migrations) {
    if (m.version <= current) continue;
    db.transaction(() => {
      db.exec(m.sql);
      db.pragma(`user_version = ${m.version}`);
    })();
    applied.push(m.version);
  }
  return applied;
}
