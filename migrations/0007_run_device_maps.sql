-- Schema 7: the device map each hardware endpoint of a run used (its text as the run started), so the board
-- revision and gateware build it declares (main/lab/board-identity.ts, issue 17) are known when the run is
-- published later, even when the map came from --target NODE=URI --map FILE or the file has changed since.

CREATE TABLE run_device_maps (
  run_id    INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  node      TEXT    NOT NULL,
  map_json  TEXT    NOT NULL,
  PRIMARY KEY (run_id, node)
) WITHOUT ROWID;
