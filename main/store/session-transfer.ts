// Moving a session between benches (DESIGN.md 6: "export/import of a session, a file another bench can open"):
// export writes the session with its runs, traces, steps, logs, comparisons and notes into a new store file
// (same schema, so it opens as a bench database of its own); import copies every session of such a file into
// this store under new ids. Bulk rows (chunks, nodes, steps) move in SQL without passing through JS.
// Saved topologies (table `topologies`) named by the session's runs (runs.topology) travel with it; see
// importTopologies for what happens on a name clash.

import { copyFileSync, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { writeFileWholeSync } from './file-output.js';
import { openDb } from './open-db.js';
import type { Store } from './store.js';

export interface SessionExport {
  path: string;
  bytes: number;
  runs: number;
  events: number;
  /** Saved topologies the session's runs name, carried in the file. */
  topologies: number;
}

/** What importing did with one saved topology of the file. */
export interface TopologyImport {
  name: string;
  /** added: new here; same: already here with identical JSON; renamed: clash, stored as `storedAs`. */
  outcome: 'added' | 'same' | 'renamed';
  storedAs: string;
}

export interface SessionImport {
  sessionIds: number[];
  topologies: TopologyImport[];
}

const ALIAS = 'xfer';

function attached<T>(db: Database.Database, file: string, fn: () => T): T {
  db.prepare(`ATTACH DATABASE ? AS ${ALIAS}`).run(file);
  try {
    return fn();
  } finally {
    db.exec(`DETACH DATABASE ${ALIAS}`);
  }
}

/**
 * Write session `sessionId` to a new file at `path` (which must not exist): whole or not at all — built under a
 * temporary name and renamed; a full or read-only disk throws an OutputError naming why and leaves no file.
 */
export function exportSession(store: Store, sessionId: number, path: string): SessionExport {
  if (existsSync(path)) throw new Error(`${path} already exists`);
  if (!store.sessions.get(sessionId)) throw new Error(`session ${sessionId} does not exist`);
  const counts = writeFileWholeSync(path, (tmp) => fillSessionFile(store, sessionId, tmp));
  return { path, bytes: statSync(path).size, ...counts };
}

function fillSessionFile(store: Store, sessionId: number, path: string): Omit<SessionExport, 'path' | 'bytes'> {
  // Create the file with the current schema, then fill it from this store.
  openDb(path, { recover: false }).close();
  const counts = attached(store.db, path, () =>
    store.tx(() => {
      const runIds = `(SELECT id FROM main.runs WHERE session_id = ${Number(sessionId)})`;
      store.db.prepare(`INSERT INTO ${ALIAS}.sessions SELECT * FROM main.sessions WHERE id = ?`).run(sessionId);
      const runs = store.db.prepare(`INSERT INTO ${ALIAS}.runs SELECT * FROM main.runs WHERE session_id = ?`).run(sessionId).changes;
      for (const t of ['run_nodes', 'event_chunks', 'steps']) store.db.exec(`INSERT INTO ${ALIAS}.${t} SELECT * FROM main.${t} WHERE run_id IN ${runIds}`);
      store.db.exec(`INSERT INTO ${ALIAS}.logs SELECT * FROM main.logs WHERE run_id IN ${runIds}`);
      store.db.prepare(`INSERT INTO ${ALIAS}.comparisons SELECT * FROM main.comparisons WHERE session_id = ?`).run(sessionId);
      store.db.prepare(`INSERT INTO ${ALIAS}.notes SELECT * FROM main.notes WHERE session_id = ?`).run(sessionId);
      const topologies = store.db
        .prepare(`INSERT INTO ${ALIAS}.topologies SELECT * FROM main.topologies WHERE name IN (SELECT topology FROM main.runs WHERE session_id = ?)`)
        .run(sessionId).changes;
      const events = (store.db.prepare(`SELECT COALESCE(SUM(event_count), 0) AS n FROM ${ALIAS}.runs`).get() as { n: number }).n;
      return { runs, events, topologies };
    }),
  );
  // Fold the WAL into the file so it is one self-contained file.
  const out = openDb(path, { migrate: false, recover: false });
  try {
    const [ck] = out.pragma('wal_checkpoint(TRUNCATE)') as { busy: number; log: number; checkpointed: number }[];
    // A checkpoint that could not copy every frame (no room to grow the file) reports it rather than throwing.
    if (ck && ck.checkpointed !== ck.log) throw Object.assign(new Error('the WAL could not be folded into the file'), { code: 'SQLITE_FULL' });
    out.pragma('journal_mode = DELETE');
  } finally {
    out.close();
  }
  return counts;
}

interface RunRow {
  id: number;
  [column: string]: unknown;
}

/**
 * Copy every session of the store file at `path` into `store` (new ids; runs keep their status, except
 * 'running'/'queued' ones, which arrive 'interrupted'). The file is not modified: an older schema is upgraded
 * on a temporary copy. Returns the new session ids.
 */
export function importSessions(store: Store, path: string): number[] {
  return importSessionFile(store, path).sessionIds;
}

/** importSessions, also telling what became of the file's saved topologies. */
export function importSessionFile(store: Store, path: string): SessionImport {
  if (!existsSync(path)) throw new Error(`${path} does not exist`);
  const tmp = mkdtempSync(join(tmpdir(), 'cxl-import-'));
  try {
    const copy = join(tmp, 'import.sqlite');
    copyFileSync(path, copy);
    openDb(copy, { recover: false }).close(); // validates it is a bench store and brings its schema up to date
    return attached(store.db, copy, () =>
      store.tx(() => {
        const topologies = importTopologies(store.db);
        const renamed = new Map(topologies.filter((t) => t.outcome === 'renamed').map((t) => [t.name, t.storedAs]));
        return { sessionIds: copyAll(store.db, renamed), topologies };
      }),
    );
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/**
 * Add the file's saved topologies that this store lacks. A name already here with the same JSON is left as is.
 * A name already here with different JSON keeps the existing one (this bench's saved work is never overwritten
 * by an import) and stores the file's under "<name>.imported" (".imported-2", ... if that is taken by other
 * JSON too); the imported runs that named it are renamed to match. Runs keep their exact JSON in
 * runs.topology_json either way.
 */
function importTopologies(db: Database.Database): TopologyImport[] {
  const rows = db.prepare(`SELECT name, json, created_at, updated_at FROM ${ALIAS}.topologies ORDER BY name`).all() as {
    name: string;
    json: string;
    created_at: string;
    updated_at: string;
  }[];
  const existing = db.prepare<[string], { json: string }>('SELECT json FROM main.topologies WHERE name = ?');
  const insert = db.prepare('INSERT INTO main.topologies (name, json, created_at, updated_at) VALUES (?, ?, ?, ?)');
  const out: TopologyImport[] = [];
  for (const t of rows) {
    let storedAs = t.name;
    let outcome: TopologyImport['outcome'] = 'same';
    for (let n = 1; ; n++) {
      const here = existing.get(storedAs);
      if (!here) {
        insert.run(storedAs, t.json, t.created_at, t.updated_at);
        outcome = n === 1 ? 'added' : 'renamed';
        break;
      }
      if (here.json === t.json) {
        outcome = n === 1 ? 'same' : 'renamed'; // an earlier import already stored it under this name
        break;
      }
      storedAs = `${t.name}.imported${n === 1 ? '' : `-${n}`}`;
    }
    out.push({ name: t.name, outcome, storedAs });
  }
  return out;
}

function copyAll(db: Database.Database, renamedTopologies: ReadonlyMap<string, string>): number[] {
  const newIds: number[] = [];
  const sessions = db.prepare(`SELECT id, name, created_at FROM ${ALIAS}.sessions ORDER BY id`).all() as { id: number; name: string; created_at: string }[];
  const runCols = (db.prepare(`SELECT name FROM pragma_table_info('runs')`).all() as { name: string }[]).map((c) => c.name).filter((c) => c !== 'id');
  const insertSession = db.prepare('INSERT INTO sessions (name, created_at) VALUES (?, ?)');
  const insertRun = db.prepare(`INSERT INTO runs (${runCols.join(', ')}) VALUES (${runCols.map((c) => `@${c}`).join(', ')})`);
  const copyPerRun = ['run_nodes (run_id, node_index, path) SELECT ?, node_index, path', 'event_chunks (run_id, first_seq, count, bytes) SELECT ?, first_seq, count, bytes',
    'steps (run_id, seq, name, verdict, reason, evidence, event_seq) SELECT ?, seq, name, verdict, reason, evidence, event_seq',
    'logs (run_id, time, level, message) SELECT ?, time, level, message'].map((s) => {
    const [into, select] = s.split(' SELECT ');
    const table = into.split(' ')[0];
    return db.prepare(`INSERT INTO ${into} SELECT ${select} FROM ${ALIAS}.${table} WHERE run_id = ?`);
  });
  const insertComparison = db.prepare('INSERT INTO comparisons (session_id, run_a, run_b, created_at, summary, result) VALUES (?, ?, ?, ?, ?, ?)');
  const insertNote = db.prepare('INSERT INTO notes (session_id, run_id, created_at, text) VALUES (?, ?, ?, ?)');

  for (const s of sessions) {
    const sid = Number(insertSession.run(s.name, s.created_at).lastInsertRowid);
    newIds.push(sid);
    const runMap = new Map<number, number>();
    for (const r of db.prepare(`SELECT * FROM ${ALIAS}.runs WHERE session_id = ? ORDER BY id`).all(s.id) as RunRow[]) {
      const row: Record<string, unknown> = { ...r, session_id: sid };
      const topology = renamedTopologies.get(r.topology as string);
      if (topology !== undefined) row.topology = topology;
      if (row.status === 'running' || row.status === 'queued') {
        row.status = 'interrupted';
        row.summary ??= 'interrupted: the process running it stopped';
      }
      const rid = Number(insertRun.run(Object.fromEntries(runCols.map((c) => [c, row[c] ?? null]))).lastInsertRowid);
      runMap.set(r.id, rid);
      for (const stmt of copyPerRun) stmt.run(rid, r.id);
    }
    for (const c of db.prepare(`SELECT * FROM ${ALIAS}.comparisons WHERE session_id = ?`).all(s.id) as Record<string, unknown>[]) {
      const a = runMap.get(c.run_a as number);
      const b = runMap.get(c.run_b as number);
      if (a === undefined || b === undefined) continue;
      // The saved inputs name run ids: rewrite them to the new ones.
      const result = JSON.parse((c.result as string) ?? '{}') as { input?: { runA: number; runB: number } };
      if (result.input) result.input = { ...result.input, runA: a, runB: b };
      insertComparison.run(sid, a, b, c.created_at, c.summary, JSON.stringify(result));
    }
    for (const n of db.prepare(`SELECT * FROM ${ALIAS}.notes WHERE session_id = ?`).all(s.id) as Record<string, unknown>[]) {
      const runId = n.run_id === null ? null : (runMap.get(n.run_id as number) ?? null);
      insertNote.run(sid, runId, n.created_at, n.text);
    }
  }
  return newIds;
}
