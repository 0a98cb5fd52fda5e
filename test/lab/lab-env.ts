// Shared set-up of the lab-store tests: one throwaway PostgreSQL cluster per test file (pg-cluster.ts), a fresh
// database per test, and bench stores in a temporary directory. Without PostgreSQL the tests are skipped —
// except under CI=true, where .ci/run installs it and a missing server is a failure.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { LabConnection } from '../../main/lab/lab-connection.js';
import { layoutDecoder } from '../../main/store/row-decoder.js';
import { openStore, type Store } from '../../main/store/store.js';
import { pgAvailable, startCluster, type PgCluster } from './pg-cluster.js';

export const hasPg = pgAvailable() || process.env.CI === 'true';

export interface LabEnv {
  cluster: PgCluster;
  dir: string;
  /** A new empty database; returns its superuser URL. */
  newDb(): string;
  store(name: string): Store;
  connect(url: string): LabConnection;
}

export function useLabEnv(): LabEnv {
  const env = {} as LabEnv;
  let n = 0;
  const open: { close(): unknown }[] = [];
  beforeAll(async () => {
    env.cluster = await startCluster();
    env.dir = mkdtempSync(join(tmpdir(), 'cxl-lab-test-'));
    env.newDb = () => {
      const db = `lab_${++n}`;
      env.cluster.psql(`CREATE DATABASE ${db}`);
      return env.cluster.url('postgres', undefined, db);
    };
    env.store = (name) => {
      const s = openStore(join(env.dir, `${name}.sqlite`), { decoderFor: layoutDecoder });
      open.push(s);
      return s;
    };
    env.connect = (url) => {
      const c = new LabConnection(url);
      open.push({ close: () => c.close() });
      return c;
    };
  }, 120_000);
  afterAll(async () => {
    for (const o of open.reverse()) await o.close();
    env.cluster?.stop();
    if (env.dir) rmSync(env.dir, { recursive: true, force: true });
  });
  return env;
}
