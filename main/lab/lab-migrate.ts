// The lab store's schema (issue 17): migrations/lab/NNNN_name.sql, loaded by the same numbered-file loader as
// the SQLite store (main/store/migrate.ts loadMigrations), applied here in the PostgreSQL dialect: all pending
// files in ONE transaction under an advisory lock (two benches publishing for the first time at once apply it
// once), the last number kept in cxl_bench.schema_version (SQLite keeps it in PRAGMA user_version).

import { join } from 'node:path';
import { defaultMigrationsDir, loadMigrations, type Migration } from '../store/migrate.js';
import type { LabClient, LabConnection } from './lab-connection.js';
import { LabError } from './lab-error.js';

export const labMigrationsDir = (): string => join(defaultMigrationsDir(), 'lab');
export const labMigrations = (): Migration[] => loadMigrations(labMigrationsDir());

/** 'cxlb' as a 32-bit number: the advisory lock migrations hold. */
const LOCK_KEY = 0x63786c62;

async function versionOf(c: { query: LabClient['query'] }): Promise<number> {
  const t = await c.query<{ t: string | null }>("SELECT to_regclass('cxl_bench.schema_version')::text AS t");
  if (!t.rows[0]?.t) return 0;
  const v = await c.query<{ v: number | null }>('SELECT max(version) AS v FROM cxl_bench.schema_version');
  return v.rows[0]?.v ?? 0;
}

/** The lab's schema number (0: not initialised). */
export async function labSchemaVersion(lab: LabConnection): Promise<number> {
  const rows = await lab.query<{ t: string | null }>("SELECT to_regclass('cxl_bench.schema_version')::text AS t", [], 'reading the schema version');
  if (!rows[0]?.t) return 0;
  const v = await lab.query<{ v: number | null }>('SELECT max(version) AS v FROM cxl_bench.schema_version', [], 'reading the schema version');
  return v[0]?.v ?? 0;
}

/** Bring the lab up to the newest schema (needs CREATE on the database). Returns the versions applied. */
export async function migrateLab(lab: LabConnection, migrations: readonly Migration[] = labMigrations()): Promise<number[]> {
  const latest = migrations.length ? migrations[migrations.length - 1].version : 0;
  return lab.tx('applying the lab schema', async (c) => {
    await c.query('SELECT pg_advisory_xact_lock($1)', [LOCK_KEY]);
    const current = await versionOf(c);
    if (current > latest) throw new LabError('schema', `lab store ${lab.where}: schema ${current} is newer than this build (${latest}); use a newer cxl-bench`);
    const applied: number[] = [];
    for (const m of migrations) {
      if (m.version <= current) continue;
      await c.query(m.sql);
      await c.query('INSERT INTO cxl_bench.schema_version (version) VALUES ($1)', [m.version]);
      applied.push(m.version);
    }
    return applied;
  });
}

/** For readers: the lab must have exactly this build's schema or an older-compatible one; names what to do. */
export async function requireLabSchema(lab: LabConnection, migrations: readonly Migration[] = labMigrations()): Promise<number> {
  const latest = migrations.length ? migrations[migrations.length - 1].version : 0;
  const v = await labSchemaVersion(lab);
  if (v === 0) throw new LabError('schema', `lab store ${lab.where} has no cxl_bench schema yet: publish once (or run \`cxl-bench lab init\`) as a user allowed to create it`);
  if (v > latest) throw new LabError('schema', `lab store ${lab.where}: schema ${v} is newer than this build (${latest}); use a newer cxl-bench`);
  if (v < latest) throw new LabError('schema', `lab store ${lab.where}: schema ${v} is older than this build (${latest}); run \`cxl-bench lab init\` as its owner to upgrade it`);
  return v;
}
