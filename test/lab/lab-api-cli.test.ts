// The lab store as a user reaches it (issue 17): the lab.* API calls over real services (connect, publish with
// progress, browse, a lab run's trace, pull-and-compare, history) and `cxl-bench lab ...` (exit codes, --help,
// no password in any output), against a throwaway PostgreSQL.

import { mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../main/api/api-error.js';
import type { ServerEvent } from '../../main/api/contract.js';
import { callApi } from '../../main/api/table.js';
import { runDevices } from '../../main/lab/board-identity.js';
import { labService } from '../../main/lab/lab-service.js';
import { builtinTopologyJson } from '../../main/runs/topology-source.js';
import { createServices } from '../../main/services/services.js';
import { DEMO_SEQUENCE_ID, DEMO_SEQUENCES_MODULE } from '../../main/links/demo-sequences.js';
import { defaultEndpointMap } from '../../main/links/device-maps.js';
import { startSim } from '../../main/links/sim-server.js';
import { runCli } from '../cli/run-cli.js';
import { hasPg, useLabEnv } from './lab-env.js';
import { EP, recordLocalRun } from './local-runs.js';

describe.skipIf(!hasPg)('lab store through the API and the CLI', () => {
  const env = useLabEnv();

  it('lab.* calls: connect, publish with progress, browse, trace, pull-and-compare, history; no credentials anywhere', async () => {
    const url = env.newDb();
    const dir = mkdtempSync(join(env.dir, 'api-'));
    const services = await createServices({ dbPath: join(dir, 'bench.sqlite') });
    try {
      const before = await callApi(services, 'lab.status', {});
      expect(before.reachable).toBe(false);
      const st = await callApi(services, 'lab.connect', { url, bench: 'ui-bench' });
      expect(st).toMatchObject({ configured: true, reachable: true, schema: 0, canPublish: true, bench: 'ui-bench', error: null });
      expect(JSON.stringify(st)).not.toContain(env.cluster.superPassword);

      // A board run whose device map (a LiteX csr.json) names the revision and gateware build.
      const csr = join(dir, 'board.csr.json');
      writeFileSync(csr, JSON.stringify({ constants: { cxl_board_revision: 'rev-c', cxl_gateware_build: '777' }, memories: {} }));
      const topo = JSON.parse(builtinTopologyJson('single')!);
      topo.hostBridges[0].rootPorts[0].endpoint.backend = { link: 'uartbone:/dev/ttyUSB0@115200', map: csr };
      const sid = services.store.sessions.create('ui session').id;
      const r1 = recordLocalRun(services.store, { sessionId: sid, events: 60_000, seed: 2, link: 'uartbone:/dev/ttyUSB0@115200', topologyJson: JSON.stringify(topo), steps: [{ name: 'probe', verdict: 'pass' }] });
      const r2 = recordLocalRun(services.store, { sessionId: sid, events: 60_000, seed: 2, divergence: 0.01, steps: [{ name: 'probe', verdict: 'fail' }] });
      expect(runDevices(services.store, r1)).toEqual([expect.objectContaining({ node: EP, kind: 'hardware', revision: 'rev-c', gateware: '777', firmware: 'fw-1.0' })]);

      const progress: ServerEvent[] = [];
      const off = services.hub.subscribe((e) => e.type === 'lab.progress' && progress.push(e));
      const pub = await callApi(services, 'lab.publish', { sessionId: sid });
      off();
      expect(pub.runs.map((r) => r.outcome)).toEqual(['published', 'published']);
      expect(progress.length).toBeGreaterThan(2);
      expect(progress.at(-1)).toMatchObject({ done: true });
      expect(progress.some((e) => e.type === 'lab.progress' && !e.done && e.events > 0 && e.eventsTotal === 120_008)).toBe(true);

      expect((await callApi(services, 'lab.benches', {})).map((b) => b.name)).toEqual(['ui-bench']);
      expect((await callApi(services, 'lab.boards', {})).map((b) => [b.revision, b.gateware])).toEqual([['rev-c', '777']]);
      const byRev = await callApi(services, 'lab.runs', { revision: 'rev-c' });
      expect(byRev.rows.map((r) => r.localId)).toEqual([r1]);
      const [labB, labA] = (await callApi(services, 'lab.runs', {})).rows.map((r) => r.id);
      const detail = await callApi(services, 'lab.run', { id: labA! });
      expect(detail.topologyJson).toBe(JSON.stringify(topo));
      const page = await callApi(services, 'lab.trace', { runId: labA!, offset: 0, limit: 50 });
      expect(page).toMatchObject({ total: 60_004 });
      expect(page.rows).toEqual((await callApi(services, 'trace.page', { runId: r1, offset: 0, limit: 50 })).rows);

      const cmp = await callApi(services, 'lab.compare', { runA: labA!, runB: labB! });
      expect(cmp.summary.equal).toBe(false);
      // Both runs were published from this very store: compared where they are, not pulled twice.
      expect(cmp.pulled.map((p) => [p.reused, p.runId])).toEqual([[true, r1], [true, r2]]);
      const history = await callApi(services, 'lab.history', { check: 'probe' });
      expect(history.groups.map((g) => [g.revision, g.verdict])).toEqual([['rev-c', 'pass'], ['emulated', 'fail']]);

      await expect(callApi(services, 'lab.run', { id: 999 })).rejects.toMatchObject({ code: 'not-found' });
      await expect(callApi(services, 'lab.connect', { url: 'mysql://x' })).rejects.toMatchObject({ code: 'bad-input' });
      expect(await callApi(services, 'lab.cancel', {})).toEqual({ cancelled: false });
      // No credential reached the bench's database (logs, runs, anything).
      const dump = services.store.db.prepare("SELECT group_concat(message, ' ') AS m FROM logs").get() as { m: string };
      expect(dump.m).toContain('published session');
      expect(dump.m).not.toContain(env.cluster.superPassword);
    } finally {
      await labService(services).close();
      await services.close();
    }
  });

  it('a hardware run over simulated silicon: serial from its DSN, firmware from Identify, revision and build from its csr.json', async () => {
    const url = env.newDb();
    const dir = mkdtempSync(join(env.dir, 'hw-'));
    const services = await createServices({ dbPath: join(dir, 'bench.sqlite'), sequenceModules: [DEMO_SEQUENCES_MODULE] });
    const sim = await startSim({ kind: 'etherbone', profile: 'ideal' });
    try {
      // A LiteX csr.json: the endpoint's spaces as memory regions, and the SoC's identity constants.
      const map = defaultEndpointMap();
      const memories = Object.fromEntries(Object.entries(map).map(([space, w]) => [`cxl_${space}`, { base: w.base, size: w.size, type: 'io' }]));
      const csr = join(dir, 'board.csr.json');
      writeFileSync(csr, JSON.stringify({ constants: { cxl_board_revision: 'rev-d', cxl_gateware_build: '2048' }, memories }));
      const sid = services.store.sessions.create('hw').id;
      const run = await callApi(services, 'runs.start', { sessionId: sid, sequence: DEMO_SEQUENCE_ID, targets: { [EP]: { link: sim.uri, map: csr } } });
      await services.runs.wait(run.id);
      // The map is kept with the run: changing the file afterwards does not change what the run used.
      writeFileSync(csr, '{}');
      await callApi(services, 'lab.connect', { url });
      await callApi(services, 'lab.publish', { sessionId: sid });
      // The simulated board is the 'single' topology's endpoint: its DSN is that endpoint's serial.
      const serial = BigInt(JSON.parse(builtinTopologyJson('single')!).hostBridges[0].rootPorts[0].endpoint.serial).toString(16).padStart(16, '0');
      const [board] = await callApi(services, 'lab.boards', {});
      expect(board).toMatchObject({ serial, revision: 'rev-d', gateware: '2048' });
      expect(board!.firmware).not.toBe('');
      const [labRun] = (await callApi(services, 'lab.runs', { serial })).rows;
      expect(labRun!.devices).toEqual([expect.objectContaining({ node: EP, kind: 'hardware', link: sim.uri, revision: 'rev-d' })]);
    } finally {
      await sim.close();
      await labService(services).close();
      await services.close();
    }
  }, 180_000);

  it('a publish cancelled from the API stops between batches and the next one finishes it', async () => {
    const url = env.newDb();
    const dir = mkdtempSync(join(env.dir, 'cancel-'));
    const services = await createServices({ dbPath: join(dir, 'bench.sqlite') });
    try {
      await callApi(services, 'lab.connect', { url });
      const sid = services.store.sessions.create('big').id;
      const rid = recordLocalRun(services.store, { sessionId: sid, events: 300_000 });
      const off = services.hub.subscribe((e) => {
        if (e.type === 'lab.progress' && !e.done && e.events > 0) void callApi(services, 'lab.cancel', {});
      });
      const err = await callApi(services, 'lab.publish', { sessionId: sid }).catch((e: unknown) => e);
      off();
      expect(err).toBeInstanceOf(ApiError);
      expect((err as ApiError).message).toMatch(/cancelled/);
      expect((await callApi(services, 'lab.runs', {})).total).toBe(0);
      const done = await callApi(services, 'lab.publish', { sessionId: sid });
      expect(done.runs[0]!.outcome).toBe('resumed');
      expect((await callApi(services, 'lab.runs', {})).rows[0]!.eventCount).toBe(services.store.runs.get(rid)!.eventCount);
    } finally {
      await labService(services).close();
      await services.close();
    }
  });

  it('cxl-bench lab: publish, browse, history, compare; exit codes; no password in output', async () => {
    const url = env.newDb();
    const db = join(env.dir, 'cli.sqlite');
    const other = join(env.dir, 'cli-other.sqlite');
    {
      const s = env.store('cli');
      recordLocalRun(s, { sessionId: s.sessions.create('cli').id, events: 20_000, link: 'etherbone+tcp://10.0.0.2:1234', steps: [{ name: 'region commit', verdict: 'fail', reason: 'commit error' }] });
      s.close();
    }
    const saved = process.env.CXL_BENCH_LAB;
    process.env.CXL_BENCH_LAB = url;
    try {
      const pub = await runCli(['lab', 'publish', 'cli', '--db', db, '--bench', 'ci-runner-3', '--revision', 'rev-b', '--gateware', '1234', '--json']);
      expect(pub.code).toBe(0);
      expect(JSON.parse(pub.stdout)).toMatchObject({ bench: 'ci-runner-3', runs: [{ outcome: 'published' }] });
      const browse = await runCli(['lab', 'browse', '--revision', 'rev-b']);
      expect(browse.code).toBe(0);
      expect(browse.stdout).toMatch(/1 of 1 lab runs[\s\S]*ci-runner-3\s+failed.*rev-b build 1234/);
      const hist = await runCli(['lab', 'history', 'region commit', '--json']);
      expect(JSON.parse(hist.stdout).groups).toHaveLength(1);
      const same = await runCli(['lab', 'compare', '1', '1', '--db', other]);
      expect(same.code).toBe(0);
      expect(same.stdout).toContain('EQUAL');
      const help = await runCli(['lab', 'publish', '--help']);
      expect([help.code, help.stdout]).toEqual([0, expect.stringContaining('lab publish SESSION|--all')]);
      expect((await runCli(['lab', 'frob'])).code).toBe(2);
      const pw = await runCli(['lab', 'browse', '--lab', url]);
      expect(pw.code).toBe(2);
      expect(pw.stderr).toContain('--lab must not carry a password');
      expect(pw.stderr).not.toContain(env.cluster.superPassword);

      // A lab that is not there: exit 1 with the reason, named without its password.
      process.env.CXL_BENCH_LAB = `postgres://postgres:${env.cluster.superPassword}@127.0.0.1:1/nowhere`;
      const down = await runCli(['lab', 'publish', 'cli', '--db', db]);
      expect(down.code).toBe(1);
      expect(down.stderr).toMatch(/lab store postgres:\/\/postgres@127\.0\.0\.1:1\/nowhere is unreachable/);
      expect(down.stderr + down.stdout).not.toContain(env.cluster.superPassword);
      delete process.env.CXL_BENCH_LAB;
      const unset = await runCli(['lab', 'browse']);
      expect(unset.code).toBe(2);
      expect(unset.stderr).toContain('no lab store');
    } finally {
      if (saved === undefined) delete process.env.CXL_BENCH_LAB;
      else process.env.CXL_BENCH_LAB = saved;
    }
  });
});
