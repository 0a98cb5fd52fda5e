// `cxl-bench run --topology FILE` (issue 7): a topology file whose endpoint has `backend: {link, map}` with a
// map path relative to the file runs on that hardware (simulated rev-a silicon on loopback Etherbone), from a
// working directory that is not the file's; --target overrides the file; an invalid file exits 2 naming the
// field; `demo --topology FILE` probes the file's endpoint.

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunDetail } from '../../main/api/contract.js';
import { callApi } from '../../main/api/table.js';
import { defaultEndpointMap } from '../../main/links/device-maps.js';
import { startSim, type RunningSim } from '../../main/links/sim-server.js';
import { createServices } from '../../main/services/services.js';
import { runCli } from '../cli/run-cli.js';
import { boardJson, boardTopology, EP } from './fixtures.js';

let dir = '';
let db = '';
let revA: RunningSim;
let ideal: RunningSim;
let topoFile = '';

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cxl-topocli-'));
  db = join(dir, 'bench.sqlite');
  [revA, ideal] = await Promise.all([startSim({ kind: 'etherbone', profile: 'rev-a' }), startSim({ kind: 'etherbone', profile: 'ideal' })]);
  // board/topology.json names its map as maps/board.map.json: relative to the file, not to the working directory.
  mkdirSync(join(dir, 'board', 'maps'), { recursive: true });
  writeFileSync(join(dir, 'board', 'maps', 'board.map.json'), JSON.stringify(defaultEndpointMap()));
  topoFile = join(dir, 'board', 'topology.json');
  writeFileSync(topoFile, boardJson('my-board', { backend: { link: revA.uri, map: 'maps/board.map.json' } }));
});
afterAll(async () => {
  await Promise.all([revA, ideal].map((x) => x?.close().catch(() => {})));
  rmSync(dir, { recursive: true, force: true });
});

/** Revision ID values the host read from the endpoint in a stored run. */
async function revisionReads(runId: number): Promise<string[]> {
  const s = await createServices({ dbPath: db });
  try {
    const page = await callApi(s, 'trace.page', { runId, offset: 0, limit: 50, filter: { node: EP, op: 'R', text: 'Revision ID' } });
    return page.rows.map((r) => r.fields);
  } finally {
    await s.close();
  }
}

describe('cxl-bench run --topology FILE', () => {
  it('runs on the backend the file names, its relative map resolved against the file', async () => {
    // A relative path to the file from this process's working directory (not the file's directory).
    const r = await runCli(['run', '--sequence', 'enumerate', '--topology', relative(process.cwd(), topoFile), '--db', db, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const d = JSON.parse(r.stdout) as RunDetail;
    expect(d).toMatchObject({ status: 'passed', topology: 'my-board' });
    expect(d.targets.split(', ')).toContain(`${EP}=${revA.uri}`);
    expect(d.topologyJson).toBe(boardJson('my-board', { backend: { link: revA.uri, map: 'maps/board.map.json' } }));
    // rev-a silicon reports Revision ID 0Ah, which the emulated endpoint does not.
    expect((await revisionReads(d.id)).join(' ')).toMatch(/Revision ID=0xa\b/);
  });

  it('--target overrides the file for that node', async () => {
    const r = await runCli(['run', '--sequence', 'enumerate', '--topology', topoFile, '--target', `${EP}=${ideal.uri}`, '--db', db, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const d = JSON.parse(r.stdout) as RunDetail;
    expect(d.targets.split(', ')).toContain(`${EP}=${ideal.uri}`);
    expect(d.targets).not.toContain(revA.uri);
    expect((await revisionReads(d.id)).join(' ')).not.toMatch(/Revision ID=0xa\b/);
  });

  it('an invalid file exits 2 naming the field; a missing one names the path', async () => {
    const bad = boardTopology('bad');
    (bad.hostBridges as { rootPorts: { endpoint: { decoders: unknown } }[] }[])[0]!.rootPorts[0]!.endpoint.decoders = 'four';
    const badFile = join(dir, 'bad.json');
    writeFileSync(badFile, JSON.stringify(bad));
    const r = await runCli(['run', '--sequence', 'enumerate', '--topology', badFile, '--db', db]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('hostBridges[0].rootPorts[0].endpoint.decoders');
    const m = await runCli(['run', '--topology', join(dir, 'nope.json'), '--db', db]);
    expect(m.code).toBe(2);
    expect(m.stderr).toContain('nope.json');
  });

  it('a file whose map is gone exits 2 naming the backend field', async () => {
    const lost = join(dir, 'lost.json');
    writeFileSync(lost, boardJson('lost', { backend: { link: revA.uri, map: 'maps/missing.json' } }));
    const r = await runCli(['run', '--sequence', 'enumerate', '--topology', lost, '--db', db]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/backend\.map.*missing\.json/);
  });
});

describe('cxl-bench demo --topology FILE', () => {
  it('probes the file topology emulated, then with its endpoint on simulated rev-a silicon, and compares', async () => {
    const file = join(dir, 'board', 'emulated.json');
    writeFileSync(file, boardJson('demo-board', { serial: '0x4242' }));
    const r = await runCli(['demo', '--topology', file, '--link', 'etherbone', '--db', db, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const d = JSON.parse(r.stdout) as RunDetail & { hardware: (RunDetail & { link: string }) | null; comparison: { firstDivergence: { text: string } | null } | null };
    expect(d).toMatchObject({ status: 'passed', topology: 'demo-board' });
    expect(d.topologyJson).toContain('"0x4242"');
    expect(d.hardware).toMatchObject({ status: 'passed', topology: 'demo-board' });
    expect(d.hardware!.targets.split(', ')).toContain(`${EP}=${d.hardware!.link}`);
    expect(d.comparison!.firstDivergence!.text).toMatch(/Revision ID/);
  });
});

describe('cxl-bench topology save / list --db / delete', () => {
  it('saves a file (its relative map made absolute), runs it by name, lists it, deletes it', async () => {
    const saved = await runCli(['topology', 'save', 'cli-board', topoFile, '--db', db, '--json']);
    expect(saved.code, saved.stderr).toBe(0);
    expect(JSON.parse(saved.stdout)).toMatchObject({ name: 'cli-board', kind: 'saved', hardware: 1 });

    const r = await runCli(['run', '--sequence', 'enumerate', '--topology', 'cli-board', '--db', db, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const d = JSON.parse(r.stdout) as RunDetail;
    expect(d.topology).toBe('cli-board');
    expect(d.targets.split(', ')).toContain(`${EP}=${revA.uri}`);
    expect(d.topologyJson).toContain(JSON.stringify(join(dir, 'board', 'maps', 'board.map.json')));

    const list = await runCli(['topology', 'list', '--db', db, '--json']);
    expect((JSON.parse(list.stdout) as { name: string }[]).map((t) => t.name)).toEqual(expect.arrayContaining(['single', 'cli-board']));
    expect((await runCli(['topology', 'delete', 'cli-board', '--db', db])).code).toBe(0);
    const again = await runCli(['topology', 'delete', 'cli-board', '--db', db]);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('cli-board');
  });
});
