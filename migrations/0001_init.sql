-- CXL Bench store, schema 1 (DESIGN.md 6). Applied in one transaction by main/store/migrate.ts;
-- PRAGMA user_version records the last applied file number.

CREATE TABLE sessions (
  id          INTEGER PRIMARY KEY,
  name        TEXT    NOT NULL,
  created_at  TEXT    NOT NULL
);

CREATE TABLE runs (
  id           INTEGER PRIMARY KEY,
  session_id   INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
  sequence     TEXT    NOT NULL,
  topology     TEXT    NOT NULL,
  targets      TEXT    NOT NULL DEFAULT '',
  status       TEXT    NOT NULL CHECK (status IN ('queued', 'running', 'passed', 'failed', 'error', 'interrupted')),
  started_at   TEXT    NOT NULL,
  ended_at     TEXT,
  summary      TEXT,
  event_count  INTEGER NOT NULL DEFAULT 0,
  layout       TEXT    NOT NULL DEFAULT '[]'  -- JSON common/layout.ts Layout, so any trace decodes later
);
CREATE INDEX runs_by_session ON runs(session_id, id);
CREATE INDEX runs_by_status ON runs(status);

-- Node index (as written in the chunks) -> topology path, per run.
CREATE TABLE run_nodes (
  run_id      INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  node_index  INTEGER NOT NULL,
  path        TEXT    NOT NULL,
  PRIMARY KEY (run_id, node_index)
) WITHOUT ROWID;

-- Trace events as sealed chunks (trace/chunk-codec.ts), seq = first_seq + position inside the chunk.
CREATE TABLE event_chunks (
  run_id     INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  first_seq  INTEGER NOT NULL,
  count      INTEGER NOT NULL,
  bytes      BLOB    NOT NULL
);
CREATE UNIQUE INDEX event_chunks_by_seq ON event_chunks(run_id, first_seq);

CREATE TABLE steps (
  run_id     INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  seq        INTEGER NOT NULL,
  name       TEXT    NOT NULL,
  verdict    TEXT    NOT NULL CHECK (verdict IN ('pass', 'warn', 'fail', 'info')),
  reason     TEXT    NOT NULL,
  evidence   TEXT,
  event_seq  INTEGER NOT NULL,
  PRIMARY KEY (run_id, seq)
) WITHOUT ROWID;

CREATE TABLE logs (
  id       INTEGER PRIMARY KEY,
  run_id   INTEGER REFERENCES runs(id) ON DELETE CASCADE,
  time     TEXT    NOT NULL,
  level    TEXT    NOT NULL CHECK (level IN ('debug', 'info', 'warn', 'error')),
  message  TEXT    NOT NULL
);
CREATE INDEX logs_by_run ON logs(run_id, id);
