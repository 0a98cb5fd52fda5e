// topologies.save / list / get / delete through the API table, and what uses a saved topology: runs.start
// (the run records the exact JSON it was built from, so it survives the saved topology changing), live.open
// and topology.show. Bad input names the field and saves nothing.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../main/api/api-error.js';
import { callApi } from '../../main/api/table.js';
import { createServices, type Services } from '../../main/services/services.js';
import { DEMO_SEQUENCE_ID, DEMO_SEQUENCES_MODULE } from '../../main/links/demo-sequences.js';
import { DEFAULT_TOPOLOGIES } from '../../emulator/topology/defaults/index.js';
import { boardJson, boardTopology, EP } from './fixtures.js';

let dir = '';
let s: Services;
let sessionId = 0;
let savedRun = 0;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cxl-topofiles-'));
  s = await createServices({ dbPath: join(dir, 'bench.sqlite'), sequenceModules: [DEMO_SEQUENCES_MODULE] });
  sessionId = (await callApi(s, 'sessions.create', { name: 'topologies' })).id;
});
afterAll(async () => {
  await s.close();
  rmSync(dir, { recursive: true, force: true });
});

async function rejection(p: Promise<unknown>): Promise<ApiError> {
  const e = await p.then(() => null, (x: unknown) => x);
  expect(e).toBeInstanceOf(ApiError);
  return e as ApiError;
}

const savedNames = async (): Promise<string[]> => (await callApi(s, 'topologies.list', {})).filter((t) => t.kind === 'saved').map((t) => t.name);

describe('topologies.save / list / get / delete', () => {
  it('saves a topology file, lists it after the built-ins, and gets back its exact JSON, tree and backends', async () => {
    const json = boardJson('bench-a', { serial: '0xbeef', backend: { link: 'etherbone+tcp://127.0.0.1:1234', map: 'board.map.json' } });
    const saved = await callApi(s, 'topologies.save', { name: 'bench-a', json });
    expect(saved).toMatchObject({ name: 'bench-a', kind: 'saved', hardware: 1 });
    expect(saved.createdAt).toBe(saved.updatedAt);

    const list = await callApi(s, 'topologies.list', {});
    const builtins = Object.keys(DEFAULT_TOPOLOGIES);
    expect(list.slice(0, builtins.length).map((t) => [t.name, t.kind])).toEqual(builtins.map((n) => [n, 'builtin']));
    expect(list.find((t) => t.name === 'bench-a')?.description).toMatch(/1 Type 3/);

    const got = await callApi(s, 'topologies.get', { name: 'bench-a' });
    expect(got.json).toBe(json);
    expect(got.tree).toContain('serial 0xbeef');
    expect(got.tree).toContain('[hardware: etherbone+tcp://127.0.0.1:1234]');
    expect(got.backends).toEqual({ [EP]: { link: 'etherbone+tcp://127.0.0.1:1234', map: 'board.map.json' } });
    expect(got.nodes.map((n) => n.path)).toContain(EP);
  });

  it('a second save under the same name replaces the JSON and keeps the creation time', async () => {
    const first = await callApi(s, 'topologies.save', { name: 'bench-b', json: boardJson('bench-b', { serial: '0x1' }) });
    await new Promise((r) => setTimeout(r, 5));
    const second = await callApi(s, 'topologies.save', { name: 'bench-b', json: boardJson('bench-b', { serial: '0x2' }) });
    expect(second.createdAt).toBe(first.createdAt);
    expect(second.updatedAt! > first.updatedAt!).toBe(true);
    expect((await callApi(s, 'topologies.get', { name: 'bench-b' })).tree).toContain('serial 0x2');
  });

  it('an invalid file is bad-input naming the field path, and nothing is saved', async () => {
    const before = await savedNames();
    const bad = boardTopology('broken');
    (bad.hostBridges as { rootPorts: { endpoint: { capacity: unknown } }[] }[])[0]!.rootPorts[0]!.endpoint.capacity = { volatile: 'lots' };
    const e1 = await rejection(callApi(s, 'topologies.save', { name: 'broken', json: JSON.stringify(bad) }));
    expect(e1.code).toBe('bad-input');
    expect(e1.field).toBe('json.hostBridges[0].rootPorts[0].endpoint.capacity.volatile');
    expect(e1.message).toContain('hostBridges[0].rootPorts[0].endpoint.capacity.volatile');

    const e2 = await rejection(callApi(s, 'topologies.save', { name: 'broken', json: '{"hostBridges": [' }));
    expect([e2.code, e2.field]).toEqual(['bad-input', 'json']);
    expect(e2.message).toMatch(/not valid JSON/);

    const e3 = await rejection(callApi(s, 'topologies.save', { name: 'broken', json: boardJson('broken', { backend: { link: 'carrier-pigeon:/coop', map: 'x.json' } }) }));
    expect([e3.code, e3.field]).toEqual(['bad-input', 'json.hostBridges[0].rootPorts[0].endpoint.backend.link']);

    const e4 = await rejection(callApi(s, 'topologies.save', { name: 'broken', json: boardJson('broken', { backend: { link: 'etherbone+tcp://127.0.0.1:1', map: { cfg: { base: 0, size: 0 } } } }) }));
    expect([e4.code, e4.field]).toEqual(['bad-input', 'json.hostBridges[0].rootPorts[0].endpoint.backend.map']);

    const e5 = await rejection(callApi(s, 'topologies.save', { name: 'single', json: boardJson('single') }));
    expect([e5.code, e5.field]).toEqual(['bad-input', 'name']);
    const e6 = await rejection(callApi(s, 'topologies.save', { name: '../etc/board', json: boardJson('x') }));
    expect([e6.code, e6.field]).toEqual(['bad-input', 'name']);

    expect(await savedNames()).toEqual(before);
  });

  it('deletes a saved topology; built-ins and unknown names are refused naming "name"', async () => {
    await callApi(s, 'topologies.save', { name: 'bench-c', json: boardJson('bench-c') });
    expect(await callApi(s, 'topologies.delete', { name: 'bench-c' })).toEqual({ deleted: true });
    expect(await savedNames()).not.toContain('bench-c');
    const e1 = await rejection(callApi(s, 'topologies.get', { name: 'bench-c' }));
    expect([e1.code, e1.field]).toEqual(['not-found', 'name']);
    const e2 = await rejection(callApi(s, 'topologies.delete', { name: 'bench-c' }));
    expect([e2.code, e2.field]).toEqual(['not-found', 'name']);
    const e3 = await rejection(callApi(s, 'topologies.delete', { name: 'switch4' }));
    expect([e3.code, e3.field]).toEqual(['bad-input', 'name']);
  });
});

describe('runs, live benches and topology.show on a saved topology', () => {
  it('a run on a saved topology is built from it and records its exact JSON, which outlives a later save', async () => {
    const json = boardJson('bench-run', { serial: '0xabc' });
    await callApi(s, 'topologies.save', { name: 'bench-run', json });
    const run = await callApi(s, 'runs.start', { sessionId, sequence: DEMO_SEQUENCE_ID, topology: 'bench-run' });
    expect(run.topology).toBe('bench-run');
    expect(await s.runs.wait(run.id)).toBe('passed');
    savedRun = run.id;
    const detail = await callApi(s, 'runs.get', { id: run.id });
    expect(detail.topologyJson).toBe(json);

    await callApi(s, 'topologies.save', { name: 'bench-run', json: boardJson('bench-run', { serial: '0xdef' }) });
    expect((await callApi(s, 'runs.get', { id: run.id })).topologyJson).toBe(json);
  });

  it('a run on a built-in records the built-in JSON; an unknown name lists the saved ones', async () => {
    const run = await callApi(s, 'runs.start', { sessionId, sequence: DEMO_SEQUENCE_ID, topology: 'single' });
    await s.runs.wait(run.id);
    expect(JSON.parse((await callApi(s, 'runs.get', { id: run.id })).topologyJson!)).toEqual(DEFAULT_TOPOLOGIES.single);
    // The saved topology's run was built from its JSON: the host read the serial number it gave the endpoint.
    const serialReads = async (id: number): Promise<string[]> =>
      (await callApi(s, 'trace.page', { runId: id, offset: 0, limit: 100, filter: { node: EP, op: 'R', text: 'Serial Number' } })).rows.map((r) => r.value);
    expect(await serialReads(run.id)).toContain('0x00001000');
    expect(await serialReads(savedRun)).toContain('0x00000abc');
    const e = await rejection(callApi(s, 'runs.start', { sessionId, topology: 'no-such-board' }));
    expect([e.code, e.field]).toEqual(['bad-input', 'topology']);
    expect(e.message).toContain('bench-run');
  });

  it('live.open and topology.show accept a saved topology', async () => {
    await callApi(s, 'topologies.save', { name: 'bench-live', json: boardJson('bench-live', { serial: '0x77', backend: { link: 'etherbone+tcp://127.0.0.1:1', map: 'm.json' } }) });
    const bench = await callApi(s, 'live.open', { sessionId, topology: 'bench-live' });
    expect(bench.topology).toBe('bench-live');
    // A live bench is the emulated platform: the file's backend is not applied there.
    expect(bench.nodes.find((n) => n.path === EP)?.backend).toBe('emulated');
    expect((await callApi(s, 'runs.get', { id: bench.runId })).topologyJson).toContain('"0x77"');
    await callApi(s, 'live.close', { sessionId });
    expect((await callApi(s, 'topology.show', { name: 'bench-live' })).tree).toContain('serial 0x77');
  });
});
