// The lab store against a real PostgreSQL (issue 17): publish from two benches at once, pull, compare across
// benches, verdict history across board revisions, a publish killed mid-way and retried, a server that goes
// away, a read-only user. Each test gets its own database in one throwaway cluster (lab-env.ts).

import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CompareService } from '../../main/compare/compare-service.js';
import { getRun, labTracePage, listBenches, listBoards, listRuns, listSessions, listTopologies } from '../../main/lab/browse.js';
import { builtinTopologyJson } from '../../main/runs/topology-source.js';
import { checkHistory } from '../../main/lab/history.js';
import { LabConnection } from '../../main/lab/lab-connection.js';
import { LabError } from '../../main/lab/lab-error.js';
import { publishSession } from '../../main/lab/publish.js';
import { pullRun } from '../../main/lab/pull.js';
import { renewStoreUuid } from '../../main/lab/store-identity.js';
import { openStore, type Store } from '../../main/store/store.js';
import { hasPg, useLabEnv } from './lab-env.js';
import { recordLocalRun } from './local-runs.js';
import { startCluster } from './pg-cluster.js';

const count = async (lab: LabConnection, table: string) => Number((await lab.query<{ n: string }>(`SELECT count(*) AS n FROM cxl_bench.${table}`))[0]!.n);

function chunksOf(store: Store, runId: number): string[] {
  return [...store.chunks.all(runId)].map((c) => `${c.firstSeq}:${c.count}:${Buffer.from(c.bytes).toString('base64')}`);
}

describe.skipIf(!hasPg)('lab store on PostgreSQL', () => {
  const env = useLabEnv();

  it('two benches publish at once; both appear with their boards, and publishing again changes nothing', async () => {
    const url = env.newDb();
    const a = env.store('two-a');
    const b = env.store('two-b');
    const sa = a.sessions.create('bring-up A');
    const sb = b.sessions.create('bring-up B');
    const hw = 'uartbone:/dev/ttyUSB0@115200';
    const ra = recordLocalRun(a, { sessionId: sa.id, events: 120_000, seed: 1, link: hw, serial: '00000000000000a1', firmware: 'fw-1.0', steps: [{ name: 'region commit', verdict: 'pass' }] });
    const topoJson = builtinTopologyJson('single')!;
    a.topologies.save('board-a', topoJson);
    const ra2 = recordLocalRun(a, { sessionId: sa.id, events: 30_000, seed: 2, topology: 'board-a', topologyJson: topoJson, steps: [{ name: 'enumerate', verdict: 'pass' }] });
    new CompareService(a).run({ runA: ra, runB: ra2 }); // a saved comparison of the session
    const rb = recordLocalRun(b, { sessionId: sb.id, events: 120_000, seed: 1, link: hw, serial: '00000000000000b2', firmware: 'fw-2.0', steps: [{ name: 'region commit', verdict: 'fail' }] });
    a.db.prepare('INSERT INTO notes (session_id, run_id, created_at, text) VALUES (?, ?, ?, ?)').run(sa.id, ra, new Date().toISOString(), 'reset twice first');
    const labA = env.connect(url);
    const labB = env.connect(url);
    const [pa, pb] = await Promise.all([
      publishSession(labA, a, sa.id, { bench: 'bench-a', identity: { revision: 'rev-a', gateware: '100' }, batchBytes: 128 * 1024 }),
      publishSession(labB, b, sb.id, { bench: 'bench-b', identity: { revision: 'rev-b', gateware: '1234' }, batchBytes: 128 * 1024 }),
    ]);
    expect(pa.runs.map((r) => r.outcome)).toEqual(['published', 'published']);
    expect(pb.runs.map((r) => r.outcome)).toEqual(['published']);
    expect([pa.notes, pa.comparisons, pa.topologies]).toEqual([1, 1, 1]);

    const lab = env.connect(url);
    expect((await listBenches(lab)).map((x) => [x.name, x.sessions, x.runs])).toEqual([['bench-a', 1, 2], ['bench-b', 1, 1]]);
    expect((await listSessions(lab, 'bench-a')).map((s) => [s.name, s.runs, s.comparisons, s.notes])).toEqual([['bring-up A', 2, 1, 1]]);
    expect((await listTopologies(lab)).map((t) => [t.bench, t.name, t.json])).toEqual([['bench-a', 'board-a', topoJson]]);
    const labRa = (await listRuns(lab, { bench: 'bench-a' })).rows.find((r) => r.localId === ra)!;
    expect((await getRun(lab, labRa.id)).notes).toEqual([expect.objectContaining({ text: 'reset twice first', onSession: false })]);
    const boards = await listBoards(lab);
    expect(boards.map((x) => [x.serial, x.revision, x.gateware, x.firmware, x.bench])).toEqual([
      ['00000000000000a1', 'rev-a', '100', 'fw-1.0', 'bench-a'],
      ['00000000000000b2', 'rev-b', '1234', 'fw-2.0', 'bench-b'],
    ]);
    const revB = await listRuns(lab, { revision: 'rev-b' });
    expect(revB.total).toBe(1);
    expect(revB.rows[0]).toMatchObject({ bench: 'bench-b', localId: rb, status: 'failed', eventCount: b.runs.get(rb)!.eventCount });
    expect(revB.rows[0]!.devices).toEqual([expect.objectContaining({ kind: 'hardware', serial: '00000000000000b2', link: hw })]);
    // The emulated run of bench A is listed as such, and not in the board registry.
    expect((await listRuns(lab, { bench: 'bench-a' })).rows.map((r) => r.devices[0]!.kind).sort()).toEqual(['emulated', 'hardware']);

    const TABLES = ['runs', 'event_chunks', 'steps', 'run_nodes', 'run_devices', 'notes', 'comparisons', 'saved_topologies', 'topologies', 'sessions', 'boards', 'builds'];
    const before = await Promise.all(TABLES.map((t) => count(lab, t)));
    const again = await publishSession(labA, a, sa.id, { bench: 'bench-a', identity: { revision: 'rev-a', gateware: '100' } });
    expect(again.runs.map((r) => r.outcome)).toEqual(['unchanged', 'unchanged']);
    expect(again.eventsSent).toBe(0);
    expect(await Promise.all(TABLES.map((t) => count(lab, t)))).toEqual(before);
  });

  it('pulls a lab run into another bench byte for byte, compares runs of two benches there, and browses a trace page without pulling', async () => {
    const url = env.newDb();
    const a = env.store('pull-a');
    const b = env.store('pull-b');
    const c = env.store('pull-c');
    const ra = recordLocalRun(a, { sessionId: a.sessions.create('A').id, events: 100_000, seed: 5, steps: [{ name: 'probe', verdict: 'pass', evidence: 'DVSEC 0 +0x1C = 3' }] });
    const rb = recordLocalRun(b, { sessionId: b.sessions.create('B').id, events: 100_000, seed: 5, divergence: 0.001, steps: [{ name: 'probe', verdict: 'pass' }] });
    a.logs.append(ra, 'info', 'link up at 115200');
    const lab = env.connect(url);
    const pa = await publishSession(lab, a, 1, { bench: 'bench-a' });
    const pb = await publishSession(lab, b, 1, { bench: 'bench-b' });
    const labA = pa.runs[0]!.labId!;
    const labB = pb.runs[0]!.labId!;

    const pulled = await pullRun(lab, c, labA, { pageChunks: 4 });
    expect(pulled.reused).toBe(false);
    expect(chunksOf(c, pulled.runId)).toEqual(chunksOf(a, ra));
    expect(c.chunks.nodes(pulled.runId)).toEqual(a.chunks.nodes(ra));
    expect(c.steps.list(pulled.runId)).toEqual(a.steps.list(ra));
    expect(c.runs.get(pulled.runId)).toMatchObject({ status: 'passed', eventCount: a.runs.get(ra)!.eventCount, sequence: 'linux-probe' });
    expect(c.logs.page(pulled.runId, 0, 10).rows.map((l) => l.message)).toEqual(['link up at 115200']);
    expect(c.sessions.get(pulled.sessionId)!.name).toBe('lab: bench-a / A');
    expect((await pullRun(lab, c, labA)).reused).toBe(true);

    const pulledB = await pullRun(lab, c, labB);
    const cmp = new CompareService(c).run({ runA: pulled.runId, runB: pulledB.runId });
    const local = new CompareService(a);
    // The same comparison as on a bench holding both runs: pull the other one there too.
    const bOnA = await pullRun(lab, a, labB);
    const ref = local.run({ runA: ra, runB: bOnA.runId });
    expect(cmp.equal).toBe(false);
    expect(cmp.counts).toEqual(ref.counts);

    // A page of the lab run's trace, straight from its chunks, equals the local trace.page.
    const page = await labTracePage(lab, labA, 50_000, 100);
    const localPage = a.traces.page(ra, a.runs.get(ra)!.eventCount, 50_000, 100);
    expect(page.total).toBe(localPage.total);
    expect(page.rows).toEqual(localPage.rows);
  });

  it('verdict history of one check across board revisions and builds says since when it fails', async () => {
    const url = env.newDb();
    const lab = env.connect(url);
    const plan = [
      ['rev-a', '100', 'pass'],
      ['rev-a', '101', 'pass'],
      ['rev-b', '1234', 'fail'],
      ['rev-b', '1240', 'fail'],
    ] as const;
    for (const [i, [rev, build, verdict]] of plan.entries()) {
      const s = env.store(`hist-${i}`);
      const sid = s.sessions.create(`${rev} ${build}`).id;
      recordLocalRun(s, { sessionId: sid, events: 1000, link: 'etherbone+tcp://127.0.0.1:1234', serial: `00000000000000${rev === 'rev-a' ? 'a' : 'b'}${i}`, steps: [{ name: 'region commit', verdict, reason: `commit ${verdict}` }, { name: 'enumerate', verdict: 'pass' }] });
      await publishSession(lab, s, sid, { bench: `bench-${i % 2}`, identity: { revision: rev, gateware: build } });
      // Runs are ordered by start time: keep them apart.
      await new Promise((r) => setTimeout(r, 5));
    }
    const h = await checkHistory(lab, 'region commit');
    expect(h.groups.map((g) => [g.revision, g.gateware, g.verdict])).toEqual(plan.map(([r, b, v]) => [r, b, v]));
    expect(h.changes).toEqual([{ from: 'rev-a build 101 (fw fw-1.0)', to: 'rev-b build 1234 (fw fw-1.0)', before: 'pass', after: 'fail' }]);
    expect(h.since).toBe('region commit fails since rev-b build 1234 (fw fw-1.0)');
    const steady = await checkHistory(lab, 'enumerate');
    expect(steady.changes).toEqual([]);
    expect(steady.since).toBeNull();
    expect((await checkHistory(lab, 'no such check')).groups).toEqual([]);
  });

  it('a publish killed mid-way leaves the run invisible; the retry resumes and nothing is duplicated or lost', async () => {
    const url = env.newDb();
    const a = env.store('killed');
    const sid = a.sessions.create('long').id;
    const rid = recordLocalRun(a, { sessionId: sid, events: 400_000, seed: 9, steps: [{ name: 'probe', verdict: 'pass' }] });
    const localChunks = chunksOf(a, rid);
    const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./fixtures/publish-child.ts', import.meta.url)), a.path, String(sid)], {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, CXL_BENCH_LAB: url },
    });
    let batches = 0;
    await new Promise<void>((resolve, reject) => {
      child.on('exit', (code) => reject(new Error(`publish finished before the kill (${code})`)));
      child.stdout!.on('data', (d: Buffer) => {
        batches += (String(d).match(/^batch /gm) ?? []).length;
        if (batches >= 3) {
          child.removeAllListeners('exit');
          child.on('exit', () => resolve());
          child.kill('SIGKILL');
        }
      });
    });
    const lab = env.connect(url);
    expect((await listRuns(lab)).total).toBe(0); // not complete: not visible
    const partial = await count(lab, 'event_chunks');
    expect(partial).toBeGreaterThan(0);
    expect(partial).toBeLessThan(localChunks.length);

    const r = await publishSession(lab, a, sid, { bench: 'killed-bench' });
    expect(r.runs[0]!.outcome).toBe('resumed');
    expect(r.eventsSent).toBeLessThan(a.runs.get(rid)!.eventCount);
    expect(await count(lab, 'event_chunks')).toBe(localChunks.length);
    expect(await count(lab, 'steps')).toBe(1);
    const pulled = await pullRun(lab, env.store('killed-pull'), r.runs[0]!.labId!);
    expect(pulled.events).toBe(a.runs.get(rid)!.eventCount);
    const back = env.store('killed-pull');
    expect(chunksOf(back, pulled.runId)).toEqual(localChunks);
  });

  it('a lab server that goes away mid-publish: a clear error, the bench store untouched, and the retry completes', async () => {
    const url = env.newDb();
    const a = env.store('gone');
    const sid = a.sessions.create('s').id;
    const rid = recordLocalRun(a, { sessionId: sid, events: 200_000, steps: [{ name: 'probe', verdict: 'pass' }] });
    const localBefore = chunksOf(a, rid);
    const lab = new LabConnection(url);
    let killed = false;
    const err = await publishSession(lab, a, sid, {
      bench: 'b',
      batchBytes: 64 * 1024,
      afterBatch: () => {
        if (!killed) {
          killed = true;
          env.cluster.kill();
        }
      },
    }).catch((e: unknown) => e);
    await lab.close();
    try {
      expect(err).toBeInstanceOf(LabError);
      expect((err as LabError).kind).toBe('unreachable');
      expect((err as LabError).message).toContain('127.0.0.1');
      expect((err as LabError).message).not.toContain(env.cluster.superPassword);
      // Local work is unaffected: same runs, same chunks, a sound file; new runs can be recorded.
      expect(a.db.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(chunksOf(a, rid)).toEqual(localBefore);
      expect(a.runs.get(rid)!.status).toBe('passed');
      recordLocalRun(a, { sessionId: sid, events: 100 });
      // Browsing a lab that is down says so.
      const down = env.connect(url);
      await expect(listBenches(down)).rejects.toThrow(/unreachable/);
    } finally {
      env.cluster.start();
    }
    const again = env.connect(url);
    const r = await publishSession(again, a, sid, { bench: 'b' });
    expect(r.runs.map((x) => x.outcome)).toEqual(['resumed', 'published']);
    expect(await count(again, 'event_chunks')).toBe(localBefore.length + 1);
  });

  it('a lab server that goes away mid-pull: a clear error, no half-pulled run, and the next pull completes', async () => {
    const url = env.newDb();
    const a = env.store('pull-gone-src');
    const sid = a.sessions.create('s').id;
    const rid = recordLocalRun(a, { sessionId: sid, events: 200_000, steps: [{ name: 'probe', verdict: 'pass' }] });
    const labRun = (await publishSession(env.connect(url), a, sid, { bench: 'b' })).runs[0]!.labId!;
    const c = env.store('pull-gone');
    const keep = recordLocalRun(c, { sessionId: c.sessions.create('my work').id, events: 1000 });
    const sessionsBefore = c.sessions.list();
    const lab = new LabConnection(url);
    let killed = false;
    const err = await pullRun(lab, c, labRun, {
      pageChunks: 2,
      afterPage: () => {
        if (!killed) {
          killed = true;
          env.cluster.kill();
        }
      },
    }).catch((e: unknown) => e);
    await lab.close();
    try {
      expect(err).toBeInstanceOf(LabError);
      expect((err as LabError).kind).toBe('unreachable');
      expect(c.sessions.list()).toEqual(sessionsBefore);
      expect(c.runs.list().map((r) => r.id)).toEqual([keep]);
      expect(c.db.prepare('SELECT count(*) AS n FROM event_chunks WHERE run_id != ?').get(keep)).toEqual({ n: 0 });
    } finally {
      env.cluster.start();
    }
    const pulled = await pullRun(env.connect(url), c, labRun);
    expect(chunksOf(c, pulled.runId)).toEqual(chunksOf(a, rid));
  });

  it('a running run waits for a later publish; a copied database file must publish under its own identity', async () => {
    const url = env.newDb();
    const lab = env.connect(url);
    const a = env.store('copy-src');
    const sid = a.sessions.create('s').id;
    recordLocalRun(a, { sessionId: sid, events: 100 });
    const live = a.runs.create({ sessionId: sid, sequence: 'linux-probe', topology: 'single' }); // still running
    const first = await publishSession(lab, a, sid, { bench: 'a' });
    expect(first.runs.map((r) => r.outcome)).toEqual(['published', 'skipped-running']);
    a.runs.finish(live.id, 'passed', 'done');
    expect((await publishSession(lab, a, sid, { bench: 'a' })).runs.map((r) => r.outcome)).toEqual(['unchanged', 'published']);

    // A byte copy of the file carries the same identity; its own new runs would collide with the original's.
    a.db.pragma('wal_checkpoint(TRUNCATE)');
    const copyPath = join(env.dir, 'copy-dst.sqlite');
    copyFileSync(a.path, copyPath);
    const b = openStore(copyPath);
    try {
      const bs = b.sessions.create('other bench work').id;
      b.db.prepare('DELETE FROM runs').run();
      recordLocalRun(b, { sessionId: bs, events: 100, sequence: 'region' });
      const clash = await publishSession(lab, b, bs, { bench: 'b' }).catch((e: unknown) => e);
      expect(clash).toBeInstanceOf(LabError);
      expect((clash as LabError).message).toMatch(/copied database file\?.*--new-identity/);
      renewStoreUuid(b);
      expect((await publishSession(lab, b, bs, { bench: 'b' })).runs.map((r) => r.outcome)).toEqual(['published']);
      expect((await listRuns(lab)).total).toBe(3);
    } finally {
      b.close();
    }
  });

  it('a read-only user browses, pulls and reads history, but may not publish', async () => {
    const url = env.newDb();
    const a = env.store('ro');
    const sid = a.sessions.create('s').id;
    recordLocalRun(a, { sessionId: sid, events: 5000, steps: [{ name: 'probe', verdict: 'pass' }] });
    await publishSession(env.connect(url), a, sid, { bench: 'b' });
    const db = new URL(url).pathname.slice(1);
    env.cluster.psql(`DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'viewer') THEN CREATE ROLE viewer LOGIN PASSWORD 'view-secret'; END IF; END $$; GRANT cxl_bench_read TO viewer;`, db);
    const ro = env.connect(env.cluster.url('viewer', 'view-secret', db));
    expect((await listRuns(ro)).total).toBe(1);
    const run = await getRun(ro, (await listRuns(ro)).rows[0]!.id);
    expect(run.steps.map((s) => s.name)).toEqual(['probe']);
    expect((await checkHistory(ro, 'probe')).groups).toHaveLength(1);
    const local = env.store('ro-pull');
    expect((await pullRun(ro, local, run.id)).events).toBe(run.eventCount);
    const other = env.store('ro-2');
    const osid = other.sessions.create('mine').id;
    recordLocalRun(other, { sessionId: osid, events: 10 });
    const e = await publishSession(ro, other, osid, { bench: 'viewer-bench' }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(LabError);
    expect((e as LabError).kind).toBe('denied');
    expect((e as LabError).message).not.toContain('view-secret');
  });
});

describe.skipIf(!hasPg || spawnSync('openssl', ['version']).status !== 0)('lab store over TLS', () => {
  it('publishes and browses over a verified TLS connection (sslmode=verify-full, sslrootcert)', async () => {
    const cluster = await startCluster({ tls: true });
    const dir = mkdtempSync(join(tmpdir(), 'cxl-lab-tls-'));
    try {
      const url = `${cluster.url()}?sslmode=verify-full&sslrootcert=${encodeURIComponent(cluster.caFile!)}`;
      const lab = new LabConnection(url);
      try {
        const store = openStore(join(dir, 'tls.sqlite'));
        const sid = store.sessions.create('tls').id;
        recordLocalRun(store, { sessionId: sid, events: 10_000 });
        await publishSession(lab, store, sid, { bench: 'tls-bench' });
        store.close();
        expect((await lab.query<{ ssl: boolean }>('SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()'))[0]!.ssl).toBe(true);
        expect((await listRuns(lab)).total).toBe(1);
      } finally {
        await lab.close();
      }
      // A certificate the client cannot verify is refused, by name.
      const unverified = new LabConnection(`${cluster.url()}?sslmode=verify-full`);
      await expect(listBenches(unverified)).rejects.toThrow(/self[- ]signed|unable to verify|certificate/i);
      await unverified.close();
    } finally {
      cluster.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
