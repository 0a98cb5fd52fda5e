// runs.replay through the API table: input checks, source nodes named by BDF mapped by enumeration, and a
// replay against simulated silicon (Etherbone sim, ideal profile) that matches the emulated replay.

import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callApi } from '../../main/api/table.js';
import { startSim, type RunningSim } from '../../main/links/sim-server.js';
import type { Services } from '../../main/services/services.js';
import { tempServices } from '../api/helpers.js';

const read = (name: string) => readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8');

let env: Awaited<ReturnType<typeof tempServices>>;
let s: Services;
let sessionId: number;
let single: number;
let sim: RunningSim | undefined;
beforeAll(async () => {
  env = await tempServices();
  s = env.services;
  sessionId = (await callApi(s, 'sessions.create', { name: 'replay-api' })).id;
  single = (await callApi(s, 'trace.import', { sessionId, format: 'qemu', text: read('qemu-7.2-seabios-cxl.log') })).id;
});
afterAll(async () => {
  await sim?.close().catch(() => {});
  await env.dispose();
});

const rejection = (p: Promise<unknown>) => p.then(() => null, (e: unknown) => e);

describe('runs.replay', () => {
  it('refuses what it cannot replay, naming the field', async () => {
    expect(await rejection(callApi(s, 'runs.replay', { sessionId, sourceRunId: 999 }))).toMatchObject({ code: 'not-found', field: 'sourceRunId' });
    expect(await rejection(callApi(s, 'runs.replay', { sessionId: 999, sourceRunId: single }))).toMatchObject({ code: 'not-found', field: 'sessionId' });
    expect(await rejection(callApi(s, 'runs.replay', { sessionId, sourceRunId: single, profile: 'silicon' }))).toMatchObject({ code: 'bad-input', field: 'profile' });
    expect(await rejection(callApi(s, 'runs.replay', { sessionId, sourceRunId: single, topology: 'nope' }))).toMatchObject({ code: 'bad-input', field: 'topology' });
    expect(await rejection(callApi(s, 'runs.replay', { sessionId, sourceRunId: single, targets: { 'hb0.rp0': 'etherbone+tcp://127.0.0.1:1' } }))).toMatchObject({
      code: 'bad-input',
      field: 'targets.hb0.rp0',
    });
  });

  it("maps source nodes named by BDF to the node enumeration puts there (a JSON-lines trace named by BDF)", async () => {
    // No topology has nodes named by BDF, so the import keeps them as they are; the replay on switch4 maps each
    // to the function enumeration puts at that BDF.
    const rows = ['0d:00.0', '0e:00.0', '0e:01.0'].map((node, i) =>
      JSON.stringify({ seq: i, timeNs: i, kind: 'access', node, space: 'cfg', region: 'cfg', offset: '0x0', width: 2, op: 'R', value: '0x19e5', status: 'ok' }),
    );
    const src = await callApi(s, 'trace.import', { sessionId, format: 'jsonl', text: rows.join('\n') + '\n' });
    const r = await callApi(s, 'runs.replay', { sessionId, sourceRunId: src.id, topology: 'switch4' });
    expect(r.run.topology).toBe('switch4');
    expect(r.nodeMap).toEqual({ '0d:00.0': 'hb0.rp0.sw0.usp', '0e:00.0': 'hb0.rp0.sw0.dsp0', '0e:01.0': 'hb0.rp0.sw0.dsp1' });
    expect(await s.runs.wait(r.run.id)).toBe('passed');

    // Without a map, the importer maps repeated device types by role: every function replays on its own node.
    const byRole = await callApi(s, 'trace.import', { sessionId, format: 'qemu', text: read('qemu-7.2-seabios-cxl-switch.log'), topology: 'switch4' });
    const r2 = await callApi(s, 'runs.replay', { sessionId, sourceRunId: byRole.id });
    expect(await s.runs.wait(r2.run.id)).toBe('passed');
    expect(s.store.runs.get(r2.run.id)!.summary).toMatch(/skipped \(not in this run: hb0 ×\d+\)$/);
  });

  it('replays onto simulated silicon: the board answers exactly as the emulated spec-profile endpoint', async () => {
    sim = await startSim({ kind: 'etherbone', profile: 'ideal' });
    const hw = await callApi(s, 'runs.replay', { sessionId, sourceRunId: single, targets: { 'hb0.rp0.ep0': sim.uri } });
    const emu = await callApi(s, 'runs.replay', { sessionId, sourceRunId: single });
    expect(await s.runs.wait(hw.run.id)).toBe('passed');
    expect(await s.runs.wait(emu.run.id)).toBe('passed');
    expect(s.store.runs.get(hw.run.id)!.targets).toContain(`hb0.rp0.ep0=${sim.uri}`);
    const same = await callApi(s, 'compare.run', { runA: emu.run.id, runB: hw.run.id });
    expect(same.counts).toMatchObject({ valueDiffers: 0, onlyA: 0, onlyB: 0 });
    expect(same.equal).toBe(true);
    const vsQemu = await callApi(s, 'compare.run', { runA: single, runB: hw.run.id, nodeMap: hw.nodeMap });
    expect(vsQemu.registers.find((x) => x.register === 'hb0.rp0.ep0 · PCI Type 0 Configuration Header · Vendor ID · R2')).toMatchObject({ valueDiffers: 3 });
  });
});

describe('runs.replay of a region run onto simulated silicon', () => {
  it('replays decoder programming BAR-relative and the memory test by HPA onto the board, equal to the source', async () => {
    const region = await callApi(s, 'runs.start', { sessionId, sequence: 'region', topology: 'single' });
    expect(await s.runs.wait(region.id)).toBe('passed');
    const board = await startSim({ kind: 'etherbone', profile: 'ideal' });
    try {
      const hw = await callApi(s, 'runs.replay', { sessionId, sourceRunId: region.id, topology: 'single', targets: { 'hb0.rp0.ep0': board.uri } });
      expect(await s.runs.wait(hw.run.id), (await callApi(s, 'runs.get', { id: hw.run.id })).summary ?? '').toBe('passed');
      // Every memory access of the source reached the board and read back what the source read.
      const mem = await callApi(s, 'trace.page', { runId: hw.run.id, offset: 0, limit: 5000, filter: { space: 'mem' } });
      expect(mem.total).toBeGreaterThan(0);
      expect(mem.rows.every((r) => r.node === 'hb0.rp0.ep0' && r.status === 'ok')).toBe(true);
      const cmp = await callApi(s, 'compare.run', { runA: region.id, runB: hw.run.id });
      const differing = cmp.registers.filter((r) => r.valueDiffers + r.onlyA + r.onlyB > 0).map((r) => r.register);
      const memory = cmp.registers.filter((r) => r.register.startsWith('hb0.rp0.ep0 · memory · '));
      expect(memory.map((r) => r.register).sort()).toEqual(['hb0.rp0.ep0 · memory · R', 'hb0.rp0.ep0 · memory · W']);
      for (const r of memory) expect(r, r.register).toMatchObject({ valueDiffers: 0, onlyA: 0, onlyB: 0 });
      expect(differing.filter((x) => /memory · |HDM Decoder/.test(x))).toEqual([]);
      // All but the source's mailbox record, which a replay does not re-create (its handshake's accesses are
      // replayed): host bridge CHBCR accesses included (the hardware platform knows where the CHBCR is).
      expect(differing).toEqual(['hb0.rp0.ep0 · mailbox 0x4000']);
    } finally {
      await board.close();
    }
  }, 60_000);
});
