-- Schema 5: topology files as first-class inputs (issue 7, DESIGN.md 6 "tables for ... topologies"). A saved
-- topology is its file's JSON text under a name; a run keeps the exact topology JSON it was built from, so it
-- stays reproducible after the saved topology (or the file on disk) changes.

CREATE TABLE topologies (
  id          INTEGER PRIMARY KEY,
  name        TEXT    NOT NULL UNIQUE,
  json        TEXT    NOT NULL,
  created_at  TEXT    NOT NULL,
  updated_at  TEXT    NOT NULL
);

ALTER TABLE runs ADD COLUMN topology_json TEXT;
