// Lab store benchmarks (issue 17; DESIGN.md 7: publish >= 1 M events/s). A throwaway PostgreSQL cluster with
// PostgreSQL's default durability (fsync and synchronous commit on; test/lab/pg-cluster.ts) on this machine:
// - lab.publish_rate: events/s of publishSession for a session holding one 2 M-event run recorded through the
//   run worker's write path (test/lab/local-runs.ts) — schema already in place, timing from the call to its
//   return (chunks as binary bytea in multi-row INSERTs, then the run's nodes/steps/devices and the flag);
// - lab.pull_first_page_ms: the first 100 trace rows of a published 1 M-event lab run as the Lab view gets them
//   (lab.trace: layout, nodes and only the chunk the page needs), on a fresh connection;
// - lab.pull_rate: events/s of pulling that run into a new local store.
// Best of 3 rounds. Without PostgreSQL the figures fail with the reason (npm run bench reports it).

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { labTracePage } from '../main/lab/browse.js';
import { LabConnection } from '../main/lab/lab-connection.js';
import { migrateLab } from '../main/lab/lab-migrate.js';
import { publishSession } from '../main/lab/publish.js';
import { pullRun } from '../main/lab/pull.js';
import { openStore } from '../main/store/store.js';
import { startCluster } from '../test/lab/pg-cluster.js';
import { recordLocalRun } from '../test/lab/local-runs.js';

export interface Benchmark {
  name: string;
  unit: string;
  run(): Promise<number> | number;
}

const ROUNDS = 3;

interface LabFigures {
  publishRate: number;
  firstPageMs: number;
  pullRate: number;
}

let measured: Promise<LabFigures> | null = null;

async function measure(): Promise<LabFigures> {
  const cluster = await startCluster({ fast: false });
  const dir = mkdtempSync(join(tmpdir(), 'cxl-bench-lab-'));
  try {
    let publishRate = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const db = `pub_${round}`;
      cluster.psql(`CREATE DATABASE ${db}`);
      const lab = new LabConnection(cluster.url('postgres', undefined, db));
      await migrateLab(lab);
      const store = openStore(join(dir, `pub-${round}.sqlite`));
      const sid = store.sessions.create('bench').id;
      const rid = recordLocalRun(store, { sessionId: sid, events: 2_000_000, seed: 7, steps: [{ name: 'probe', verdict: 'pass' }] });
      const events = store.runs.get(rid)!.eventCount;
      const t = performance.now();
      const r = await publishSession(lab, store, sid, { bench: 'bench' });
      const seconds = (performance.now() - t) / 1000;
      if (r.eventsSent !== events) throw new Error(`published ${r.eventsSent} of ${events} events`);
      publishRate = Math.max(publishRate, events / seconds);
      store.close();
      await lab.close();
    }

    // One 1 M-event run in the lab for the reading figures.
    cluster.psql('CREATE DATABASE readers');
    const url = cluster.url('postgres', undefined, 'readers');
    const src = openStore(join(dir, 'src.sqlite'));
    const sid = src.sessions.create('bench').id;
    recordLocalRun(src, { sessionId: sid, events: 1_000_000, seed: 3 });
    const pub = new LabConnection(url);
    const labRun = (await publishSession(pub, src, sid, { bench: 'bench' })).runs[0]!.labId!;
    await pub.close();
    src.close();

    let firstPageMs = Infinity;
    let pullRate = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const lab = new LabConnection(url);
      const t = performance.now();
      const page = await labTracePage(lab, labRun, 0, 100);
      firstPageMs = Math.min(firstPageMs, performance.now() - t);
      if (page.rows.length !== 100) throw new Error('short first page');
      const local = openStore(join(dir, `pull-${round}.sqlite`));
      const t2 = performance.now();
      const pulled = await pullRun(lab, local, labRun);
      pullRate = Math.max(pullRate, pulled.events / ((performance.now() - t2) / 1000));
      local.close();
      await lab.close();
    }
    return { publishRate, firstPageMs, pullRate };
  } finally {
    cluster.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

const figures = (): Promise<LabFigures> => (measured ??= measure());

export const benchmarks: Benchmark[] = [
  { name: 'lab.publish_rate', unit: 'events/s', run: async () => (await figures()).publishRate },
  { name: 'lab.pull_first_page_ms', unit: 'ms', run: async () => (await figures()).firstPageMs },
  { name: 'lab.pull_rate', unit: 'events/s', run: async () => (await figures()).pullRate },
];
