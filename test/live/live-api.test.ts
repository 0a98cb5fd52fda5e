// The live bench through the API table (callApi, as both bindings call it): each call's happy path, bad payloads
// answered with 'bad-input' naming the field, and every live access recorded in the session's console run.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../main/api/api-error.js';
import type { LiveBench } from '../../main/api/contract.js';
import { callApi } from '../../main/api/table.js';
import type { Services } from '../../main/services/services.js';
import { tempServices } from '../api/helpers.js';

const EP = 'hb0.rp0.ep0';
const u64le = (n: number): string => Array.from({ length: 8 }, (_, i) => Math.floor(n / 2 ** (8 * i)) % 256).map((b) => b.toString(16).padStart(2, '0')).join('');

let env: Awaited<ReturnType<typeof tempServices>>;
let s: Services;
let sessionId: number;
let bench: LiveBench;

beforeAll(async () => {
  env = await tempServices();
  s = env.services;
  sessionId = s.store.sessions.create('live').id;
  bench = await callApi(s, 'live.open', { sessionId });
});
afterAll(async () => env.dispose());

async function rejects(name: Parameters<typeof callApi>[1], input: unknown): Promise<ApiError> {
  try {
    await callApi(s, name, input);
  } catch (e) {
    expect(e).toBeInstanceOf(ApiError);
    return e as ApiError;
  }
  throw new Error(`${name} accepted ${JSON.stringify(input)}`);
}

describe('topology calls', () => {
  it('topology.list names every built-in topology with a one-line description', async () => {
    const list = await callApi(s, 'topology.list', {});
    expect(list.map((t) => t.name)).toEqual(expect.arrayContaining(['single', 'interleave2', 'switch4']));
    expect(list.find((t) => t.name === 'interleave2')!.description).toMatch(/2 root ports, 2 Type 3/);
    for (const t of list) expect(t.description).not.toContain('\n');
  });

  it('topology.show gives the tree and enumerated nodes with BDFs below the host bridge bus', async () => {
    const v = await callApi(s, 'topology.show', { name: 'switch4' });
    expect(v.tree).toContain('hb0.rp0.sw0 switch');
    const eps = v.nodes.filter((n) => n.kind === 'type3');
    expect(eps).toHaveLength(4);
    expect(new Set(eps.map((n) => n.bdf)).size).toBe(4);
    expect(v.nodes.find((n) => n.kind === 'switch-usp')?.bdf).toMatch(/^[0-9a-f]{2}:00\.0$/);
  });

  it('topology.show of a bad file is bad-input naming the json field path', async () => {
    const bad = JSON.stringify({ name: 'x', hostBridges: [{ uid: 'zero', rootPorts: [] }], windows: [] });
    const e = await rejects('topology.show', { json: bad });
    expect(e.code).toBe('bad-input');
    expect(e.field).toBe('json.hostBridges[0].uid');
  });

  it('topology.show needs exactly one of name and json', async () => {
    expect((await rejects('topology.show', {})).field).toBe('name');
    expect((await rejects('topology.show', { name: 'nope' })).code).toBe('not-found');
  });

  it('topology.check lists every error of a file instead of failing', async () => {
    const r = await callApi(s, 'topology.check', { json: '{"name": 3}' });
    expect(r.ok).toBe(false);
    expect(r.errors.map((e) => e.path)).toContain('name');
    const ok = await callApi(s, 'topology.check', { json: JSON.stringify((await import('../../emulator/topology/index.js')).DEFAULT_TOPOLOGIES.single) });
    expect(ok.ok).toBe(true);
    expect(ok.view?.nodes.map((n) => n.path)).toContain(EP);
  });
});

describe('live.open / live.get / live.close', () => {
  it('opens a console run that is running, with the topology nodes', async () => {
    expect(bench.topology).toBe('single');
    expect(bench.nodes.map((n) => n.path)).toEqual(['hb0', 'hb0.rp0', EP]);
    const run = await callApi(s, 'runs.get', { id: bench.runId });
    expect(run.sequence).toBe('console');
    expect(run.status).toBe('running');
    expect(await callApi(s, 'live.get', { sessionId })).toEqual(bench);
  });

  it('opening again returns the same bench; another topology is a conflict naming topology', async () => {
    expect((await callApi(s, 'live.open', { sessionId, topology: 'single' })).runId).toBe(bench.runId);
    const e = await rejects('live.open', { sessionId, topology: 'switch4' });
    expect([e.code, e.field]).toEqual(['conflict', 'topology']);
  });

  it.each([
    [{ sessionId: 0 }, 'sessionId'],
    [{ sessionId: 'x' }, 'sessionId'],
    [{ sessionId: 1, topology: '' }, 'topology'],
    [{ sessionId: 1, extra: true }, 'extra'],
  ])('live.open %j is bad-input naming %s', async (input, field) => {
    const e = await rejects('live.open', input);
    expect([e.code, e.field]).toEqual(['bad-input', field]);
  });

  it('an unknown topology or session is named', async () => {
    expect((await rejects('live.open', { sessionId, topology: 'nope' })).field).toBe('topology');
    expect((await rejects('live.open', { sessionId: 9999 })).field).toBe('sessionId');
    expect((await rejects('regs.blocks', { sessionId: 9999, node: EP })).field).toBe('sessionId');
  });

  it('closing makes the console run passed with every recorded event; a second session bench is separate', async () => {
    const other = s.store.sessions.create('other').id;
    const b2 = await callApi(s, 'live.open', { sessionId: other, topology: 'interleave2' });
    expect(b2.runId).not.toBe(bench.runId);
    await callApi(s, 'regs.read', { sessionId: other, node: 'hb0.rp1.ep0', region: 'cfg', block: 'pci-type0-header' });
    const run = await callApi(s, 'live.close', { sessionId: other });
    expect(run.status).toBe('passed');
    expect(run.eventCount).toBeGreaterThan(0);
    expect(await callApi(s, 'live.get', { sessionId: other })).toBeNull();
    expect((await rejects('live.close', { sessionId: other })).code).toBe('not-found');
  });
});

describe('live bench and session lifetime', () => {
  it('deleting a session drops its bench (its console run went with it)', async () => {
    const gone = s.store.sessions.create('gone').id;
    const b = await callApi(s, 'live.open', { sessionId: gone });
    await callApi(s, 'sessions.delete', { id: gone });
    expect(s.store.runs.get(b.runId)).toBeUndefined();
    expect(await callApi(s, 'live.get', { sessionId: gone })).toBeNull();
    expect((await rejects('regs.blocks', { sessionId: gone, node: EP })).field).toBe('sessionId');
  });
});

describe('register explorer', () => {
  it('regs.blocks lists the placed blocks with names and spec sections', async () => {
    const blocks = await callApi(s, 'regs.blocks', { sessionId, node: EP });
    const hdm = blocks.find((b) => b.id === 'cxl-hdm-decoder');
    expect(hdm).toMatchObject({ region: 'bar0', name: expect.stringMatching(/HDM Decoder/), spec: expect.stringMatching(/CXL 2\.0/) });
    expect(blocks.find((b) => b.id === 'pci-type0-header')).toMatchObject({ region: 'cfg', base: 0 });
    const hb = await callApi(s, 'regs.blocks', { sessionId, node: 'hb0' });
    expect(hb.every((b) => b.region === 'chbcr')).toBe(true);
  });

  it('regs.read decodes a block field by field from the live device', async () => {
    const regs = await callApi(s, 'regs.read', { sessionId, node: EP, region: 'cfg', block: 'pci-type0-header' });
    const id = regs.find((r) => r.name === 'Vendor ID')!;
    expect(id.offset).toBe(0);
    expect(id.width).toBe(2);
    const vendor = parseInt(id.value, 16);
    expect(vendor).not.toBe(0xffff);
    const cmd = regs.find((r) => r.name === 'Command')!;
    // Enumeration enabled memory decode (firmware-like, done at live.open).
    expect(cmd.fields.find((f) => f.name === 'Memory Space Enable')!.value).toBe('0x1');
  });

  it('regs.read of a block declared without registers (the 2 KiB Command Payload) reads it as 64-bit data words', async () => {
    const regs = await callApi(s, 'regs.read', { sessionId, node: EP, region: 'bar2', block: 'cxl-mailbox-payload' });
    expect(regs).toHaveLength(2048 / 8);
    expect(regs[1]!.name).toBe('data +0x008');
    expect(regs.every((r) => r.width === 8 && r.fields.length === 0 && /^0x[0-9a-f]{16}$/.test(r.value))).toBe(true);
  });

  it('every block of every node reads at least one register (none stays empty in the explorer)', async () => {
    for (const n of bench.nodes) {
      for (const b of await callApi(s, 'regs.blocks', { sessionId, node: n.path })) {
        const regs = await callApi(s, 'regs.read', { sessionId, node: n.path, region: b.region, block: '0x' + b.base.toString(16) });
        expect(regs.length, `${n.path} ${b.name}`).toBeGreaterThan(0);
      }
    }
  });

  it('regs.read of a block by base address equals the read by id', async () => {
    const blocks = await callApi(s, 'regs.blocks', { sessionId, node: EP });
    const ras = blocks.find((b) => b.id === 'cxl-ras')!;
    const byBase = await callApi(s, 'regs.read', { sessionId, node: EP, region: 'bar0', block: '0x' + ras.base.toString(16) });
    const byId = await callApi(s, 'regs.read', { sessionId, node: EP, region: 'bar0', block: 'cxl-ras' });
    expect(byBase).toEqual(byId);
    expect(byId[0]!.offset).toBe(ras.base);
  });

  it('regs.write writes through the device rules and returns the decoded re-read', async () => {
    const hdm = (await callApi(s, 'regs.read', { sessionId, node: EP, region: 'bar0', block: 'cxl-hdm-decoder' })).find((r) => r.name === 'HDM Decoder Global Control')!;
    const on = await callApi(s, 'regs.write', { sessionId, node: EP, region: 'bar0', offset: hdm.offset, width: 4, value: '0x2' });
    expect(on.name).toBe('HDM Decoder Global Control');
    expect(on.fields.find((f) => f.name === 'HDM Decoder Enable')!.value).toBe('0x1');
    // Read-only register: the write is dropped, as silicon would.
    const vid = await callApi(s, 'regs.write', { sessionId, node: EP, region: 'cfg', offset: 0, width: 2, value: 0x1234 });
    expect(vid.value).not.toBe('0x1234');
  });

  it.each([
    [{ region: 'bar9', offset: 0, width: 4, value: 0 }, 'region'],
    [{ region: 'cfg', offset: -4, width: 4, value: 0 }, 'offset'],
    [{ region: 'cfg', offset: 0, width: 3, value: 0 }, 'width'],
    [{ region: 'cfg', offset: 0, width: 1, value: 'zz' }, 'value'],
    [{ region: 'cfg', offset: 0, width: 1, value: 0x100 }, 'value'],
    [{ region: 'cfg', offset: 0, width: 8, value: 0 }, 'width'],
  ])('regs.write %j is bad-input naming %s', async (input, field) => {
    const e = await rejects('regs.write', { sessionId, node: EP, ...input });
    expect([e.code, e.field]).toEqual(['bad-input', field]);
  });

  it('an unknown node or block is not-found naming it', async () => {
    expect((await rejects('regs.blocks', { sessionId, node: 'hb0.rp7.ep0' })).field).toBe('node');
    expect((await rejects('regs.read', { sessionId, node: EP, region: 'cfg', block: 'cxl-ras' })).field).toBe('block');
  });
});

describe('mailbox console', () => {
  it('mailbox.commands is the emulator command table with input rules', async () => {
    const cmds = await callApi(s, 'mailbox.commands', {});
    expect(cmds.find((c) => c.opcode === 0x4000)).toMatchObject({ opcodeHex: '0x4000', name: 'Identify Memory Device', input: 'none' });
    expect(cmds.find((c) => c.opcode === 0x4300)?.input).toBe('16 bytes');
    expect(cmds.find((c) => c.opcode === 0x4304)?.background).toBe(true);
    expect(await callApi(s, 'mailbox.commands', { sessionId, node: EP })).toEqual(cmds);
  });

  it('mailbox.send Identify (by name) decodes the device capacities', async () => {
    const r = await callApi(s, 'mailbox.send', { sessionId, node: EP, opcode: 'identify' });
    expect(r).toMatchObject({ opcode: 0x4000, returnCode: 0, returnName: 'Success' });
    expect(r.decoded).toMatchObject({ totalBytes: 512 * 2 ** 20, volatileOnlyBytes: 256 * 2 ** 20, persistentOnlyBytes: 256 * 2 ** 20 });
    expect(r.outputHex.length).toBeGreaterThan(0);
    expect(r.durationNs).toBeGreaterThanOrEqual(0);
  });

  it('a wrong payload length gets the spec return code, not an API error', async () => {
    const r = await callApi(s, 'mailbox.send', { sessionId, node: EP, opcode: '0x4000', payloadHex: '00' });
    expect(r.returnCode).not.toBe(0);
    expect(r.returnName).toMatch(/Invalid/);
  });

  it.each([
    [{ opcode: 'frobnicate' }, 'opcode'],
    [{ opcode: 'get' }, 'opcode'],
    [{ opcode: 0x10000 }, 'opcode'],
    [{ opcode: '0x4000', payloadHex: 'abc' }, 'payloadHex'],
    [{ opcode: [] }, 'opcode'],
  ])('mailbox.send %j is bad-input naming %s', async (input, field) => {
    const e = await rejects('mailbox.send', { sessionId, node: EP, ...input });
    expect([e.code, e.field]).toEqual(['bad-input', field]);
  });

  it('the mailbox is located once: later commands trace only the doorbell handshake (bar2)', async () => {
    await callApi(s, 'mailbox.send', { sessionId, node: EP, opcode: 'getHealthInfo' });
    const from = (await callApi(s, 'runs.get', { id: bench.runId })).eventCount;
    await callApi(s, 'mailbox.send', { sessionId, node: EP, opcode: 'getHealthInfo' });
    const rows = (await callApi(s, 'trace.page', { runId: bench.runId, offset: from, limit: 1000 })).rows;
    expect(rows.length).toBeGreaterThan(4);
    expect(rows.filter((r) => r.kind === 'access').every((r) => r.region === 'bar2')).toBe(true);
    expect(rows.at(-1)).toMatchObject({ kind: 'mailbox' });
  });

  it('a node without a mailbox is named', async () => {
    const e = await rejects('mailbox.send', { sessionId, node: 'hb0.rp0', opcode: 'identify' });
    expect([e.code, e.field]).toEqual(['bad-input', 'node']);
  });
});

describe('injection', () => {
  it('inject.poison then Get Poison List shows the poisoned DPA', async () => {
    const inj = await callApi(s, 'inject.poison', { sessionId, node: EP, dpa: '0x2000', length: 128 });
    expect(inj.ok).toBe(true);
    expect(inj.log.runId).toBe(bench.runId);
    expect(inj.effect).toContain('0x2000');
    const list = await callApi(s, 'mailbox.send', { sessionId, node: EP, opcode: 'getPoisonList', payloadHex: u64le(0) + u64le((512 * 2 ** 20) / 64) });
    expect(list.returnCode).toBe(0);
    const recs = (list.decoded as { records: { dpa: number; length64: number }[] }).records;
    expect(recs).toContainEqual(expect.objectContaining({ dpa: 0x2000, length64: 2 }));
  });

  it('inject.event lands in the named log (Get Event Records)', async () => {
    const inj = await callApi(s, 'inject.event', { sessionId, node: EP, log: 'failure', kind: 'general-media', dpa: 0x40 });
    expect(inj.effect).toMatch(/failure log \(handle \d+\)/);
    const recs = await callApi(s, 'mailbox.send', { sessionId, node: EP, opcode: 'getEventRecords', payloadHex: '02' });
    expect((recs.decoded as { count: number }).count).toBe(1);
  });

  it('inject.ras of a masked error (masks reset to all ones) says so and records nothing', async () => {
    const r = await callApi(s, 'inject.ras', { sessionId, node: EP, kind: 'correctable', bits: 2 });
    expect(r.ras).toEqual({ set: '0x0', masked: '0x2', unmasked: '0x0' });
    expect(r.effect).toMatch(/masked by the Correctable Error Mask register/);
    const regs = await callApi(s, 'regs.read', { sessionId, node: EP, region: 'bar0', block: 'cxl-ras' });
    expect(BigInt(regs.find((x) => x.name === 'Correctable Error Status')!.value) & 2n).toBe(0n);
  });

  it('inject.ras with unmask sets the RAS status bits the register explorer then reads', async () => {
    const r = await callApi(s, 'inject.ras', { sessionId, node: EP, kind: 'correctable', bits: 1, unmask: true });
    expect(r.ras).toEqual({ set: '0x1', masked: '0x0', unmasked: '0x1' });
    const regs = await callApi(s, 'regs.read', { sessionId, node: EP, region: 'bar0', block: 'cxl-ras' });
    expect(BigInt(regs.find((x) => x.name === 'Correctable Error Status')!.value) & 1n).toBe(1n);
    expect(BigInt(regs.find((x) => x.name === 'Correctable Error Mask')!.value) & 1n).toBe(0n);
  });

  it('inject.media disabled shows in Memory Device Status and ready restores it', async () => {
    await callApi(s, 'inject.media', { sessionId, node: EP, state: 'disabled' });
    const media = async () =>
      (await callApi(s, 'regs.read', { sessionId, node: EP, region: 'bar2', block: 'cxl-memdev-status' }))[0]!.fields.find((f) => f.name === 'Media Status')!.value;
    expect(await media()).toBe('0x3');
    await callApi(s, 'inject.media', { sessionId, node: EP, state: 'ready' });
    expect(await media()).toBe('0x1');
  });

  it('live.device reports what the injections changed, without tracing', async () => {
    const before = (await callApi(s, 'runs.get', { id: bench.runId })).eventCount;
    const st = await callApi(s, 'live.device', { sessionId, node: EP });
    expect(st.poisonRecords).toBeGreaterThanOrEqual(1);
    expect(st.eventCounts.failure).toBe(1);
    expect(st.mediaState).toBe('ready');
    expect(BigInt(st.rasCorrectable) & 1n).toBe(1n);
    expect(st.volatileBytes + st.persistentBytes).toBe(512 * 2 ** 20);
    expect((await callApi(s, 'runs.get', { id: bench.runId })).eventCount).toBe(before);
    expect((await rejects('live.device', { sessionId, node: 'hb0' })).field).toBe('node');
  });

  it.each([
    ['inject.poison', { dpa: '0x1001' }, 'dpa'],
    ['inject.poison', { dpa: 0, length: 65 }, 'length'],
    ['inject.poison', { dpa: 2 ** 40 }, 'dpa'],
    ['inject.poison', { dpa: -1 }, 'dpa'],
    ['inject.event', { log: 'loud', kind: 'dram' }, 'log'],
    ['inject.event', { log: 'fatal', kind: 'cpu' }, 'kind'],
    ['inject.ras', { kind: 'fatal', bits: 1 }, 'kind'],
    ['inject.ras', { kind: 'correctable', bits: 0 }, 'bits'],
    ['inject.media', { state: 'melted' }, 'state'],
  ] as const)('%s %j is bad-input naming %s', async (name, input, field) => {
    const e = await rejects(name, { sessionId, node: EP, ...input });
    expect([e.code, e.field]).toEqual(['bad-input', field]);
  });
});

describe('console run trace', () => {
  it('every live access (registers, mailbox, injection steps) is in the console run trace, decoded', async () => {
    const before = (await callApi(s, 'runs.get', { id: bench.runId })).eventCount;
    await callApi(s, 'regs.write', { sessionId, node: EP, region: 'cfg', offset: 4, width: 2, value: 6 });
    await callApi(s, 'mailbox.send', { sessionId, node: EP, opcode: 'getHealthInfo' });
    await callApi(s, 'inject.poison', { sessionId, node: EP, dpa: 0x4000 });
    const run = await callApi(s, 'runs.get', { id: bench.runId });
    expect(run.status).toBe('running');
    const page = await callApi(s, 'trace.page', { runId: bench.runId, offset: before, limit: 5000 });
    expect(page.total).toBe(run.eventCount);
    const rows = page.rows;
    expect(rows[0]).toMatchObject({ node: EP, space: 'cfg', op: 'W', offset: 4, value: '0x0006' });
    expect(rows[0]!.register).toContain('Command');
    expect(rows.some((r) => r.kind === 'mailbox' && /Health/i.test(r.value))).toBe(true);
    expect(rows.some((r) => r.kind === 'access' && r.region === 'bar2' && r.op === 'W')).toBe(true);
    expect(rows.at(-1)).toMatchObject({ kind: 'step' });
    expect(run.steps.at(-1)?.reason).toContain('0x4000');
  });
});
