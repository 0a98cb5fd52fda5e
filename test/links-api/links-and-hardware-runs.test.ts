// links.* and runs.start targets through the API table, against simulated silicon (hil/sim) on loopback
// Etherbone and a socat UARTBone pty: a link test reads the emulated endpoint's IDs, a dead link is ok=false,
// a hardware run of the ideal profile compares equal to the emulated run, rev-a's deviations are found, and a
// link that drops mid-run ends the run 'error' with the reason and the events before it.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../main/api/api-error.js';
import { callApi } from '../../main/api/table.js';
import { createServices, type Services } from '../../main/services/services.js';
import { DEMO_SEQUENCE_ID, DEMO_SEQUENCES_MODULE } from '../../main/links/demo-sequences.js';
import { startSim, type RunningSim } from '../../main/links/sim-server.js';
import { VirtualClock } from '../../common/clock.js';
import { simEndpointModel } from '../../main/links/sim-endpoint.js';
import { defaultEndpointMap } from '../../main/links/device-maps.js';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';

const EP = 'hb0.rp0.ep0';
let dir = '';
let s: Services;
let sessionId = 0;
let emulatedRun = 0;
const sims: RunningSim[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cxl-links-'));
  s = await createServices({ dbPath: join(dir, 'bench.sqlite'), sequenceModules: [DEMO_SEQUENCES_MODULE] });
  sessionId = (await callApi(s, 'sessions.create', { name: 'links' })).id;
  const run = await callApi(s, 'runs.start', { sessionId, sequence: DEMO_SEQUENCE_ID });
  await s.runs.wait(run.id);
  emulatedRun = run.id;
});
afterAll(async () => {
  await Promise.all(sims.map((x) => x.close().catch(() => {})));
  await s.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A probe over a simulated link: a few seconds on a quiet machine, ten times that with two suites on 2 cores. */
const HARDWARE_RUN_TIMEOUT_MS = 120_000;

async function sim(kind: 'etherbone' | 'uartbone', profile: string): Promise<RunningSim> {
  const x = await startSim(kind === 'uartbone' ? { kind, profile, baud: 1_000_000 } : { kind, profile });
  sims.push(x);
  return x;
}

async function rejection(p: Promise<unknown>): Promise<ApiError> {
  const e = await p.then(() => null, (x: unknown) => x);
  expect(e).toBeInstanceOf(ApiError);
  return e as ApiError;
}

/** A loopback port nobody listens on. */
async function deadPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

describe('links.test / links.list / links.serialPorts', () => {
  it('reads the Vendor/Device ID the emulated endpoint has, with latency and throughput', async () => {
    const x = await sim('etherbone', 'ideal');
    const r = await callApi(s, 'links.test', { uri: x.uri, reads: 5 });
    const ids = simEndpointModel(new VirtualClock()).cfgRead(0, 4) >>> 0;
    expect(r).toMatchObject({ ok: true, error: null, id: '0x' + ids.toString(16).padStart(8, '0') });
    expect(r.latency!.samples).toBe(5);
    expect(r.latency!.minUs).toBeGreaterThan(0);
    expect(r.latency!.p99Us).toBeGreaterThanOrEqual(r.latency!.p50Us);
    expect(r.bytesPerSecond).toBeGreaterThan(0);
    // The default map has the device's memory window (512 MiB for 'single'); the simulator serves it.
    expect(r.memory).toMatch(/^512 MiB at 0x[0-9a-f]+, DPA 0 reads 0x[0-9a-f]{8}$/);
    const listed = await callApi(s, 'links.list', {});
    expect(listed[0]).toMatchObject({ uri: x.uri, transport: 'etherbone+tcp', state: 'idle', usedBy: 'test', lastError: null });
  });

  it('with a device map file, reads the ID where the map puts config space (and a wrong map reads all-ones)', async () => {
    const x = await sim('etherbone', 'ideal');
    const map = defaultEndpointMap();
    const good = join(dir, 'board.map.json');
    writeFileSync(good, JSON.stringify(map));
    const r = await callApi(s, 'links.test', { uri: x.uri, map: good, reads: 2 });
    expect(r.ok).toBe(true);
    // Config space moved to an address the simulator does not decode: the bus answers all-ones.
    const wrong = join(dir, 'wrong.map.json');
    writeFileSync(wrong, JSON.stringify({ ...map, cfg: { base: 0x1000_0000, size: 0x1000 } }));
    const w = await callApi(s, 'links.test', { uri: x.uri, map: wrong, reads: 2 });
    // A map without a memory window says so (null), rather than failing the test.
    const noMem = join(dir, 'nomem.map.json');
    writeFileSync(noMem, JSON.stringify({ ...map, mem: undefined }));
    expect(await callApi(s, 'links.test', { uri: x.uri, map: noMem, reads: 1 })).toMatchObject({ ok: true, memory: null });
    expect([w.ok, w.id]).toEqual([false, '0xffffffff']);
    expect(w.error).toMatch(/all-ones/);
  });

  it('a link nobody answers is ok=false with the reason, and listed as failed', async () => {
    const uri = `etherbone+tcp://127.0.0.1:${await deadPort()}`;
    const r = await callApi(s, 'links.test', { uri });
    expect(r.ok).toBe(false);
    expect(r.error).toMatch(/open failed/);
    expect((await callApi(s, 'links.list', {}))[0]).toMatchObject({ uri, state: 'failed' });
  });

  it('bad payloads name the field', async () => {
    const e1 = await rejection(callApi(s, 'links.test', { uri: 'carrier-pigeon:/coop' }));
    expect([e1.code, e1.field]).toEqual(['bad-input', 'uri']);
    expect(e1.message).toMatch(/unknown scheme/);
    const e2 = await rejection(callApi(s, 'links.test', { uri: 'etherbone+tcp://127.0.0.1:1', reads: 0 }));
    expect([e2.code, e2.field]).toEqual(['bad-input', 'reads']);
    const e3 = await rejection(callApi(s, 'links.test', { uri: 'etherbone+tcp://127.0.0.1:1', map: join(dir, 'missing.json') }));
    expect([e3.code, e3.field]).toEqual(['bad-input', 'map']);
  });

  it('serialPorts lists ports with nullable details', async () => {
    const ports = await callApi(s, 'links.serialPorts', {});
    expect(Array.isArray(ports)).toBe(true);
    for (const p of ports) expect(Object.keys(p).sort()).toEqual(['manufacturer', 'path', 'productId', 'serialNumber', 'vendorId']);
  });
});

describe('runs.start with hardware targets', () => {
  it('rejects a node that is not an endpoint, a bad URI and an unreadable map, naming targets.<node>', async () => {
    const e1 = await rejection(callApi(s, 'runs.start', { sessionId, targets: { 'hb9.rp0.ep0': 'etherbone+tcp://127.0.0.1:1' } }));
    expect([e1.code, e1.field]).toEqual(['bad-input', 'targets.hb9.rp0.ep0']);
    const e2 = await rejection(callApi(s, 'runs.start', { sessionId, targets: { [EP]: 'uartbone:' } }));
    expect([e2.code, e2.field]).toEqual(['bad-input', `targets.${EP}`]);
    const e3 = await rejection(callApi(s, 'runs.start', { sessionId, targets: { [EP]: { link: 'etherbone+tcp://127.0.0.1:1', map: join(dir, 'nope.json') } } }));
    expect([e3.code, e3.field]).toEqual(['bad-input', `targets.${EP}.map`]);
  });

  it('ideal silicon over Etherbone: the run passes and compares equal to the emulated run', async () => {
    const x = await sim('etherbone', 'ideal');
    const run = await callApi(s, 'runs.start', { sessionId, sequence: DEMO_SEQUENCE_ID, targets: { [EP]: x.uri } });
    expect(run.targets).toContain(`${EP}=${x.uri}`);
    expect(await s.runs.wait(run.id)).toBe('passed');
    expect((await callApi(s, 'links.list', {})).find((l) => l.uri === x.uri)).toMatchObject({ state: 'idle', usedBy: `run ${run.id}` });
    const cmp = await callApi(s, 'compare.run', { runA: emulatedRun, runB: run.id });
    expect(cmp.counts, cmp.firstDivergence?.text).toMatchObject({ valueDiffers: 0, onlyA: 0, onlyB: 0 });
    expect(cmp.equal).toBe(true);
  }, HARDWARE_RUN_TIMEOUT_MS);

  it('rev-a silicon over a UARTBone pty: the comparison finds its deviations', async () => {
    const x = await sim('uartbone', 'rev-a');
    const run = await callApi(s, 'runs.start', { sessionId, sequence: DEMO_SEQUENCE_ID, targets: { [EP]: x.uri } });
    const status = await s.runs.wait(run.id);
    expect(status, (await callApi(s, 'runs.get', { id: run.id })).summary ?? '').toBe('passed');
    const cmp = await callApi(s, 'compare.run', { runA: emulatedRun, runB: run.id });
    expect(cmp.equal).toBe(false);
    // Revision ID 0Ah instead of the emulator's: the first thing firmware-visible that differs.
    expect(cmp.firstDivergence!.text).toMatch(/Revision ID/);
    const differs = (re: RegExp) => cmp.registers.filter((r) => re.test(r.register) && r.valueDiffers + r.onlyA + r.onlyB + r.pollCountDiffers > 0);
    // DOE unlinked from the extended capability chain: the probe's DOE/CDAT exchange is only in the emulated run.
    expect(differs(/Data Object Exchange/).some((r) => r.onlyA > 0)).toBe(true);
    // The mailbox stays busy for 3 more polls after each doorbell.
    expect(differs(/Mailbox Control/).length).toBeGreaterThan(0);
  }, HARDWARE_RUN_TIMEOUT_MS);

  it('a link that drops mid-run ends the run error with the reason, keeping the events before it', async () => {
    const x = await sim('etherbone', 'ideal');
    x.inject({ disconnectAfter: 200 });
    const run = await callApi(s, 'runs.start', { sessionId, sequence: DEMO_SEQUENCE_ID, targets: { [EP]: x.uri } });
    expect(await s.runs.wait(run.id)).toBe('error');
    const detail = await callApi(s, 'runs.get', { id: run.id });
    expect(detail.summary).toMatch(/^error: .*(link|timeout|closed|connection)/i);
    expect(detail.eventCount).toBeGreaterThan(200);
    const last = await callApi(s, 'trace.page', { runId: run.id, offset: 0, limit: 1, filter: { node: EP, status: 'link-error' } });
    const timeouts = await callApi(s, 'trace.page', { runId: run.id, offset: 0, limit: 1, filter: { node: EP, status: 'timeout' } });
    expect(last.total + timeouts.total).toBeGreaterThan(0);
    expect((await callApi(s, 'links.list', {})).find((l) => l.uri === x.uri)).toMatchObject({ state: 'failed' });
  }, HARDWARE_RUN_TIMEOUT_MS);
});
