-- Schema 2: saved trace comparisons and free-text notes on sessions and runs (DESIGN.md 6).

CREATE TABLE comparisons (
  id          INTEGER PRIMARY KEY,
  session_id  INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
  run_a       INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  run_b       INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  created_at  TEXT    NOT NULL,
  summary     TEXT    NOT NULL DEFAULT '',
  result      TEXT    -- JSON of the compare report
);

CREATE TABLE notes (
  id          INTEGER PRIMARY KEY,
  session_id  INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
  run_id      INTEGER REFERENCES runs(id) ON DELETE CASCADE,
  created_at  TEXT    NOT NULL,
  text        TEXT    NOT NULL
);
CREATE INDEX notes_by_session ON notes(session_id, id);
