-- CXL Bench lab store on PostgreSQL, schema 1 (issue 17). Applied by main/lab/lab-migrate.ts with the same
-- numbered-file mechanism as the bench's SQLite store (main/store/migrate.ts), in one transaction under an
-- advisory lock, the last applied number kept in cxl_bench.schema_version. Everything lives in schema cxl_bench.
-- Benches publish sessions here from their local SQLite store; ids here are the lab's own, and each published
-- row keeps the key it had on its bench (store uuid + local id), which makes publishing idempotent.

CREATE SCHEMA IF NOT EXISTS cxl_bench;

CREATE TABLE cxl_bench.schema_version (
  version     integer     NOT NULL,
  applied_at  timestamptz NOT NULL DEFAULT now()
);

-- A bench: one machine (or one named bench on it) that publishes.
CREATE TABLE cxl_bench.benches (
  id          bigserial   PRIMARY KEY,
  name        text        NOT NULL UNIQUE,
  host        text        NOT NULL,
  first_seen  timestamptz NOT NULL DEFAULT now(),
  last_seen   timestamptz NOT NULL DEFAULT now()
);

-- One local SQLite store (its lab_store.uuid); a bench may have several files.
CREATE TABLE cxl_bench.stores (
  uuid        uuid        PRIMARY KEY,
  bench_id    bigint      NOT NULL REFERENCES cxl_bench.benches(id),
  path        text        NOT NULL,
  first_seen  timestamptz NOT NULL DEFAULT now()
);

-- The board registry: a board is its serial number (PCIe Device Serial Number, 16 hex digits); what was last
-- seen of it (revision, builds, bench) is kept here, what each run saw in run_devices.
CREATE TABLE cxl_bench.boards (
  id              bigserial   PRIMARY KEY,
  serial          text        NOT NULL UNIQUE,
  revision        text        NOT NULL DEFAULT '',
  gateware        text        NOT NULL DEFAULT '',
  firmware        text        NOT NULL DEFAULT '',
  last_bench_id   bigint      REFERENCES cxl_bench.benches(id),
  first_seen      timestamptz NOT NULL DEFAULT now(),
  last_seen       timestamptz NOT NULL DEFAULT now()
);

-- A build: board revision + gateware build + firmware revision, as verdict history groups them.
CREATE TABLE cxl_bench.builds (
  id          bigserial   PRIMARY KEY,
  revision    text        NOT NULL DEFAULT '',
  gateware    text        NOT NULL DEFAULT '',
  firmware    text        NOT NULL DEFAULT '',
  first_seen  timestamptz NOT NULL DEFAULT now(),
  UNIQUE (revision, gateware, firmware)
);

-- Topology files and device maps by content (sha256 of the text), shared by every run that used them.
CREATE TABLE cxl_bench.topologies (
  sha256  text PRIMARY KEY,
  json    text NOT NULL
);
CREATE TABLE cxl_bench.device_maps (
  sha256  text PRIMARY KEY,
  json    text NOT NULL
);
-- A bench's saved topologies (by name), pointing at their content.
CREATE TABLE cxl_bench.saved_topologies (
  bench_id    bigint      NOT NULL REFERENCES cxl_bench.benches(id),
  name        text        NOT NULL,
  sha256      text        NOT NULL REFERENCES cxl_bench.topologies(sha256),
  updated_at  timestamptz NOT NULL,
  PRIMARY KEY (bench_id, name)
);

CREATE TABLE cxl_bench.sessions (
  id            bigserial   PRIMARY KEY,
  store_uuid    uuid        NOT NULL REFERENCES cxl_bench.stores(uuid),
  local_id      bigint      NOT NULL,
  bench_id      bigint      NOT NULL REFERENCES cxl_bench.benches(id),
  name          text        NOT NULL,
  created_at    timestamptz NOT NULL,
  published_at  timestamptz NOT NULL DEFAULT now(),
  UNIQUE (store_uuid, local_id)
);
CREATE INDEX sessions_by_bench ON cxl_bench.sessions(bench_id, id);

-- A run is visible (browse, pull, history) only once `complete`: its chunks go in batch by batch (a publish
-- cut off resumes after the last stored chunk), its nodes, steps, logs and devices with the flag in one
-- transaction at the end.
CREATE TABLE cxl_bench.runs (
  id             bigserial   PRIMARY KEY,
  session_id     bigint      NOT NULL REFERENCES cxl_bench.sessions(id) ON DELETE CASCADE,
  store_uuid     uuid        NOT NULL,
  local_id       bigint      NOT NULL,
  bench_id       bigint      NOT NULL REFERENCES cxl_bench.benches(id),
  sequence       text        NOT NULL,
  topology       text        NOT NULL,
  targets        text        NOT NULL DEFAULT '',
  status         text        NOT NULL CHECK (status IN ('passed', 'failed', 'error', 'interrupted')),
  started_at     timestamptz NOT NULL,
  ended_at       timestamptz,
  summary        text,
  event_count    bigint      NOT NULL DEFAULT 0,
  layout         text        NOT NULL DEFAULT '[]',
  topology_sha   text        REFERENCES cxl_bench.topologies(sha256),
  complete       boolean     NOT NULL DEFAULT false,
  published_at   timestamptz,
  UNIQUE (store_uuid, local_id)
);
CREATE INDEX runs_by_session ON cxl_bench.runs(session_id, id);

CREATE TABLE cxl_bench.run_nodes (
  run_id      bigint  NOT NULL REFERENCES cxl_bench.runs(id) ON DELETE CASCADE,
  node_index  integer NOT NULL,
  path        text    NOT NULL,
  PRIMARY KEY (run_id, node_index)
);

-- Trace chunks exactly as the bench stored them (trace/chunk-codec.ts): already compact, so kept out of line
-- without compression (STORAGE EXTERNAL) — no CPU spent trying to compress them again.
CREATE TABLE cxl_bench.event_chunks (
  run_id     bigint  NOT NULL REFERENCES cxl_bench.runs(id) ON DELETE CASCADE,
  first_seq  bigint  NOT NULL,
  count      integer NOT NULL,
  bytes      bytea   NOT NULL,
  PRIMARY KEY (run_id, first_seq)
);
ALTER TABLE cxl_bench.event_chunks ALTER COLUMN bytes SET STORAGE EXTERNAL;

CREATE TABLE cxl_bench.steps (
  run_id     bigint  NOT NULL REFERENCES cxl_bench.runs(id) ON DELETE CASCADE,
  seq        integer NOT NULL,
  name       text    NOT NULL,
  verdict    text    NOT NULL CHECK (verdict IN ('pass', 'warn', 'fail', 'info')),
  reason     text    NOT NULL,
  evidence   text,
  event_seq  bigint  NOT NULL,
  PRIMARY KEY (run_id, seq)
);
CREATE INDEX steps_by_name ON cxl_bench.steps(name, run_id);

CREATE TABLE cxl_bench.logs (
  run_id    bigint      NOT NULL REFERENCES cxl_bench.runs(id) ON DELETE CASCADE,
  local_id  bigint      NOT NULL,
  time      timestamptz NOT NULL,
  level     text        NOT NULL CHECK (level IN ('debug', 'info', 'warn', 'error')),
  message   text        NOT NULL,
  PRIMARY KEY (run_id, local_id)
);

-- What each run's endpoints were: serial (DSN), firmware revision (Identify), board revision and gateware
-- build (the link's device map), the link, and whether the node was emulated or hardware.
CREATE TABLE cxl_bench.run_devices (
  run_id     bigint  NOT NULL REFERENCES cxl_bench.runs(id) ON DELETE CASCADE,
  node       text    NOT NULL,
  kind       text    NOT NULL CHECK (kind IN ('emulated', 'hardware')),
  serial     text    NOT NULL DEFAULT '',
  board_id   bigint  REFERENCES cxl_bench.boards(id),
  build_id   bigint  NOT NULL REFERENCES cxl_bench.builds(id),
  link       text    NOT NULL DEFAULT '',
  map_sha    text    REFERENCES cxl_bench.device_maps(sha256),
  PRIMARY KEY (run_id, node)
);
CREATE INDEX run_devices_by_board ON cxl_bench.run_devices(board_id);

CREATE TABLE cxl_bench.comparisons (
  id            bigserial   PRIMARY KEY,
  session_id    bigint      NOT NULL REFERENCES cxl_bench.sessions(id) ON DELETE CASCADE,
  local_id      bigint      NOT NULL,
  run_a         bigint      NOT NULL REFERENCES cxl_bench.runs(id) ON DELETE CASCADE,
  run_b         bigint      NOT NULL REFERENCES cxl_bench.runs(id) ON DELETE CASCADE,
  created_at    timestamptz NOT NULL,
  summary       text        NOT NULL DEFAULT '',
  masks         text        NOT NULL DEFAULT '[]',
  node_map      text        NOT NULL DEFAULT '{}',
  options       text        NOT NULL DEFAULT '{}',
  summary_json  text,
  UNIQUE (session_id, local_id)
);

CREATE TABLE cxl_bench.notes (
  id          bigserial   PRIMARY KEY,
  session_id  bigint      NOT NULL REFERENCES cxl_bench.sessions(id) ON DELETE CASCADE,
  local_id    bigint      NOT NULL,
  run_id      bigint      REFERENCES cxl_bench.runs(id) ON DELETE CASCADE,
  created_at  timestamptz NOT NULL,
  text        text        NOT NULL,
  UNIQUE (session_id, local_id)
);

-- The lab's own identity: benches remember which of their runs went to (or came from) which lab.
CREATE TABLE cxl_bench.lab_identity (
  uuid        uuid        NOT NULL DEFAULT gen_random_uuid(),
  created_at  timestamptz NOT NULL DEFAULT now()
);
INSERT INTO cxl_bench.lab_identity DEFAULT VALUES;

-- Read-only access: GRANT cxl_bench_read TO <user>; (created here when the migrating user may create roles).
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'cxl_bench_read') THEN
    CREATE ROLE cxl_bench_read NOLOGIN;
  END IF;
EXCEPTION WHEN insufficient_privilege THEN
  RAISE NOTICE 'cxl_bench_read not created (no CREATEROLE); grant SELECT on schema cxl_bench by hand';
END $$;
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'cxl_bench_read') THEN
    GRANT USAGE ON SCHEMA cxl_bench TO cxl_bench_read;
    GRANT SELECT ON ALL TABLES IN SCHEMA cxl_bench TO cxl_bench_read;
  END IF;
END $$;

