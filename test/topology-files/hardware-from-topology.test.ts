// A saved topology whose endpoint has `backend: {link, map}` runs on that hardware (issue 7: "the swap is a
// topology edit"): simulated rev-a silicon (hil/sim) on loopback Etherbone stands for the board. The run's
// targets show the link URI, its trace carries the silicon's deviations, explicit targets override the file,
// and a backend whose map cannot be read is bad-input naming the field.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../main/api/api-error.js';
import { callApi } from '../../main/api/table.js';
import { defaultEndpointMap } from '../../main/links/device-maps.js';
import { DEMO_SEQUENCE_ID, DEMO_SEQUENCES_MODULE } from '../../main/links/demo-sequences.js';
import { startSim, type RunningSim } from '../../main/links/sim-server.js';
import { createServices, type Services } from '../../main/services/services.js';
import { boardJson, EP } from './fixtures.js';

let dir = '';
let s: Services;
let sessionId = 0;
let emulatedRun = 0;
let revA: RunningSim;
let ideal: RunningSim;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cxl-topohw-'));
  s = await createServices({ dbPath: join(dir, 'bench.sqlite'), sequenceModules: [DEMO_SEQUENCES_MODULE] });
  sessionId = (await callApi(s, 'sessions.create', { name: 'hw' })).id;
  [revA, ideal] = await Promise.all([startSim({ kind: 'etherbone', profile: 'rev-a' }), startSim({ kind: 'etherbone', profile: 'ideal' })]);
  const run = await callApi(s, 'runs.start', { sessionId, sequence: DEMO_SEQUENCE_ID, topology: 'single' });
  await s.runs.wait(run.id);
  emulatedRun = run.id;
});
afterAll(async () => {
  await Promise.all([revA, ideal].map((x) => x?.close().catch(() => {})));
  await s.close();
  rmSync(dir, { recursive: true, force: true });
});

async function rejection(p: Promise<unknown>): Promise<ApiError> {
  const e = await p.then(() => null, (x: unknown) => x);
  expect(e).toBeInstanceOf(ApiError);
  return e as ApiError;
}

describe('runs.start on a saved topology with an endpoint backend', () => {
  it('uses the hardware: the run targets the link and its trace has rev-a silicon deviations', async () => {
    const mapFile = join(dir, 'board.map.json');
    writeFileSync(mapFile, JSON.stringify(defaultEndpointMap()));
    await callApi(s, 'topologies.save', { name: 'rev-a-board', json: boardJson('rev-a-board', { backend: { link: revA.uri, map: mapFile } }) });
    const run = await callApi(s, 'runs.start', { sessionId, sequence: DEMO_SEQUENCE_ID, topology: 'rev-a-board' });
    expect(run.targets).toBe(`${EP}=${revA.uri}`);
    const status = await s.runs.wait(run.id);
    expect(status, (await callApi(s, 'runs.get', { id: run.id })).summary ?? '').toBe('passed');
    expect((await callApi(s, 'runs.get', { id: run.id })).targets).toContain(`${EP}=${revA.uri}`);

    const cmp = await callApi(s, 'compare.run', { runA: emulatedRun, runB: run.id });
    expect(cmp.equal).toBe(false);
    // rev-a's Revision ID (0Ah) is the first firmware-visible difference; its busy mailbox shows in Mailbox Control.
    expect(cmp.firstDivergence!.text).toMatch(/Revision ID/);
    expect(cmp.registers.some((r) => /Mailbox Control/.test(r.register) && r.valueDiffers + r.onlyA + r.onlyB + r.pollCountDiffers > 0)).toBe(true);
  });

  it('takes an inline device map object, and explicit targets override the file node by node', async () => {
    await callApi(s, 'topologies.save', { name: 'inline-board', json: boardJson('inline-board', { backend: { link: revA.uri, map: { ...defaultEndpointMap() } } }) });
    const onFile = await callApi(s, 'runs.start', { sessionId, sequence: DEMO_SEQUENCE_ID, topology: 'inline-board' });
    expect(onFile.targets).toBe(`${EP}=${revA.uri}`);
    expect(await s.runs.wait(onFile.id)).toBe('passed');

    const overridden = await callApi(s, 'runs.start', { sessionId, sequence: DEMO_SEQUENCE_ID, topology: 'inline-board', targets: { [EP]: ideal.uri } });
    expect(overridden.targets).toBe(`${EP}=${ideal.uri}`);
    expect(await s.runs.wait(overridden.id)).toBe('passed');
    // Ideal silicon behaves as the emulator does: the override really reached the other simulator.
    const cmp = await callApi(s, 'compare.run', { runA: emulatedRun, runB: overridden.id });
    expect(cmp.counts, cmp.firstDivergence?.text).toMatchObject({ valueDiffers: 0, onlyA: 0, onlyB: 0 });
  });

  it('a backend map that cannot be read is bad-input naming the topology field; no run is created', async () => {
    await callApi(s, 'topologies.save', { name: 'lost-map', json: boardJson('lost-map', { backend: { link: revA.uri, map: join(dir, 'missing.map.json') } }) });
    const before = (await callApi(s, 'runs.list', { sessionId })).length;
    const e = await rejection(callApi(s, 'runs.start', { sessionId, sequence: DEMO_SEQUENCE_ID, topology: 'lost-map' }));
    expect([e.code, e.field]).toEqual(['bad-input', 'topology.hostBridges[0].rootPorts[0].endpoint.backend.map']);
    expect(e.message).toContain('missing.map.json');
    expect((await callApi(s, 'runs.list', { sessionId })).length).toBe(before);
  });

  it('inline topology JSON (topologyJson) resolves a relative map against topologyDir', async () => {
    writeFileSync(join(dir, 'rel.map.json'), JSON.stringify(defaultEndpointMap()));
    const json = boardJson('inline-file', { backend: { link: revA.uri, map: 'rel.map.json' } });
    const run = await callApi(s, 'runs.start', { sessionId, sequence: DEMO_SEQUENCE_ID, topologyJson: json, topologyDir: dir });
    expect([run.topology, run.targets]).toEqual(['inline-file', `${EP}=${revA.uri}`]);
    expect(await s.runs.wait(run.id)).toBe('passed');
    expect((await callApi(s, 'runs.get', { id: run.id })).topologyJson).toBe(json);
    const e = await rejection(callApi(s, 'runs.start', { sessionId, topologyJson: json }));
    expect([e.code, e.field]).toEqual(['bad-input', 'topologyJson.hostBridges[0].rootPorts[0].endpoint.backend.map']);
  });
});
