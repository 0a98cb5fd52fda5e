-- Schema 6: the lab store (issue 17, main/lab/). This file's identity in the lab (a uuid made on first publish:
-- published rows are keyed by it and the local ids, so publishing again changes nothing), which local runs were
-- published to which lab, and which were pulled from one. No connection string or credential is ever stored here.

CREATE TABLE lab_store (
  id    INTEGER PRIMARY KEY CHECK (id = 1),
  uuid  TEXT    NOT NULL
);

CREATE TABLE lab_published (
  run_id        INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  lab_uuid      TEXT    NOT NULL,
  lab_run_id    INTEGER NOT NULL,
  published_at  TEXT    NOT NULL,
  PRIMARY KEY (run_id, lab_uuid)
) WITHOUT ROWID;

CREATE TABLE lab_pulls (
  run_id      INTEGER PRIMARY KEY REFERENCES runs(id) ON DELETE CASCADE,
  lab_uuid    TEXT    NOT NULL,
  lab_run_id  INTEGER NOT NULL,
  bench       TEXT    NOT NULL,
  pulled_at   TEXT    NOT NULL
);
CREATE UNIQUE INDEX lab_pulls_by_lab_run ON lab_pulls(lab_uuid, lab_run_id);
