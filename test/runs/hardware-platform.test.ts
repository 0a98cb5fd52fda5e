// The platform of a hardware run (main/runs/hardware-platform.ts) reaches the board for everything that lands on
// the replaced endpoint: MMIO by physical address (decoded where the host put the BARs, following its Command
// writes) and memory by HPA (emulated CFMWS / host bridge / switch routing, then the board's own HDM decode and
// its memory window by DPA). The board is simulated silicon over loopback Etherbone whose media the test holds,
// so it sees which bytes really landed on the board.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../common/clock.js';
import { bdf, dpa, type Bdf } from '../../common/units.js';
import { EmulatedPlatform } from '../../emulator/topology/platform.js';
import { defaultTopology } from '../../emulator/topology/default-topology.js';
import { startEtherboneSim, type EtherboneSim } from '../../hil/sim/etherbone-sim.js';
import { callApi } from '../../main/api/table.js';
import { defaultEndpointMap } from '../../main/links/device-maps.js';
import { simEndpoint, type SimEndpoint } from '../../main/links/sim-endpoint.js';
import { emulatedPlatform } from '../../main/runs/emulated-endpoints.js';
import type { RunEnvironment } from '../../main/runs/environment.js';
import { attachHardware } from '../../main/runs/hardware-targets.js';
import { createServices, type Services } from '../../main/services/services.js';
import { TraceBuffer } from '../../trace/trace-buffer.js';

const sims: EtherboneSim[] = [];
let env: RunEnvironment | null = null;
afterEach(async () => {
  await env?.close?.();
  env = null;
  await Promise.all(sims.splice(0).map((x) => x.close()));
});

/** Simulated silicon built like `node` of `topology` (same capacity and decoders), on a loopback port. */
async function board(topology: string, node: string): Promise<{ sim: EtherboneSim; dev: SimEndpoint }> {
  const dev = simEndpoint(new VirtualClock(), topology, node);
  const sim = await startEtherboneSim({ model: dev.fn, memory: dev.memory, map: defaultEndpointMap(), port: 0, host: '127.0.0.1' });
  sims.push(sim);
  return { sim, dev };
}

const u64At = (b: Uint8Array, at: number): number => {
  const v = new DataView(b.buffer, b.byteOffset);
  return v.getUint32(at, true) + v.getUint32(at + 4, true) * 2 ** 32;
};

describe('HardwarePlatform: MMIO by address', () => {
  it('reaches the board where the host put BAR0, and stops when the host clears Memory Space Enable on the board', async () => {
    const node = 'hb0.rp0.ep0';
    const { sim, dev } = await board('single', node);
    const clock = new VirtualClock();
    const trace = new TraceBuffer(clock);
    const emu = emulatedPlatform('single', clock, trace);
    const ecam = emu.platform as EmulatedPlatform;
    let at: Bdf | null = null;
    for (let bus = 0; bus < 256 && at === null; bus++) for (let d = 0; d < 32; d++) if (ecam.findFunction(bdf(bus, d, 0))?.path === node) at = bdf(bus, d, 0);
    expect(at).not.toBeNull();
    env = await attachHardware(emu, { [node]: { link: sim.uri } }, trace);
    const p = env.platform!;
    const bar0 = ((await p.cfgRead(at!, 0x10, 4)) & ~0xf) >>> 0;
    const addr = (await p.cfgRead(at!, 0x14, 4)) * 2 ** 32 + bar0;
    expect(addr).toBeGreaterThan(0);
    // CXL 2.0 8.2.5.1: the CXL Capability Header at component block + 0x1000 (ID 1), read from the board.
    const header = await p.mmioRead(addr + 0x1000, 4);
    expect(header & 0xffff).toBe(1);
    expect(header).toBe(dev.fn.barRead(0, 0x1000, 4) >>> 0);
    // A write by address lands on the board: HDM Global Control's HDM Decoder Enable (CXL 2.0 8.2.5.12.2).
    const hdmCtl = hdmGlobalControl(dev);
    await p.mmioWrite(addr + hdmCtl, 4, 2);
    // Etherbone writes are posted: a read through the same link orders after them.
    expect((await p.mmioRead(addr + hdmCtl, 4)) & 2).toBe(2);
    expect(dev.fn.barRead(0, hdmCtl, 4) & 2).toBe(2);
    // The host clears Memory Space Enable (PCI 3.0 6.2.2) on the board through the platform: address unclaimed.
    const cmd = await p.cfgRead(at!, 0x04, 2);
    await p.cfgWrite(at!, 0x04, 2, cmd & ~2);
    await p.cfgRead(at!, 0x04, 2);
    expect(dev.fn.cfgRead(0x04, 2) & 2).toBe(0);
    expect(await p.mmioRead(addr + 0x1000, 4)).toBe(0xffff_ffff);
  });
});

/** Offset in BAR0 of the board's HDM Global Control (component block + 0x1000 + HDM cap pointer + 4). */
function hdmGlobalControl(dev: SimEndpoint): number {
  const arr = dev.fn.barRead(0, 0x1000, 4);
  for (let i = 1; i <= arr >>> 24; i++) {
    const h = dev.fn.barRead(0, 0x1000 + 4 * i, 4);
    if ((h & 0xffff) === 5) return 0x1000 + (h >>> 20) + 4;
  }
  throw new Error('no HDM decoder capability');
}

describe('HardwarePlatform: memory by HPA through the region sequence', () => {
  let dir = '';
  let s: Services;
  let sessionId = 0;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cxl-hwmem-'));
    s = await createServices({ dbPath: join(dir, 'bench.sqlite') });
    sessionId = (await callApi(s, 'sessions.create', { name: 'hw-memory' })).id;
  });
  afterAll(async () => {
    await s?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('the board dropping the link in the memory test ends the run error with the reason; the failed piece is the last mem event', async () => {
    const node = 'hb0.rp0.ep0';
    const dev = simEndpoint(new VirtualClock(), 'single', node);
    let sim: EtherboneSim | null = null;
    // The first byte written into the board's memory cuts the connection after that request.
    const memory = { ...dev.memory, write: (d: Parameters<typeof dev.memory.write>[0], data: Uint8Array) => (sim!.inject({ disconnectAfter: 0 }), dev.memory.write(d, data)) };
    sim = await startEtherboneSim({ model: dev.fn, memory, map: defaultEndpointMap(), port: 0, host: '127.0.0.1' });
    sims.push(sim);
    const run = await callApi(s, 'runs.start', { sessionId, sequence: 'region', topology: 'single', targets: { [node]: sim.uri } });
    expect(await s.runs.wait(run.id)).toBe('error');
    const d = await callApi(s, 'runs.get', { id: run.id });
    expect(d.summary).toMatch(/hb0\.rp0\.ep0: link etherbone\+tcp:\/\/127\.0\.0\.1:\d+ failed/);
    const page = await callApi(s, 'trace.page', { runId: run.id, offset: 0, limit: 5000, filter: { space: 'mem' } });
    const mem = page.rows;
    expect(page.total).toBe(mem.length);
    expect(mem.length).toBeGreaterThan(0);
    expect(mem.at(-1)!.status).toMatch(/link-error|timeout/);
    expect(mem.slice(0, -1).every((r) => r.status === 'ok')).toBe(true);
  }, 60_000);

  it('a device map without a memory window: the memory test fails with that reason, the register steps pass', async () => {
    const { sim } = await board('single', 'hb0.rp0.ep0');
    const mapFile = join(dir, 'no-mem.map.json');
    writeFileSync(mapFile, JSON.stringify({ ...defaultEndpointMap(), mem: undefined }));
    const run = await callApi(s, 'runs.start', { sessionId, sequence: 'region', topology: 'single', targets: { 'hb0.rp0.ep0': { link: sim.uri, map: mapFile } } });
    expect(await s.runs.wait(run.id)).toBe('failed');
    const d = await callApi(s, 'runs.get', { id: run.id });
    const failed = d.steps.filter((x) => x.verdict === 'fail');
    expect(failed.length).toBeGreaterThan(0);
    expect(failed.map((x) => `${x.name}: ${x.reason}`).join('\n')).toMatch(/has no memory window \("mem", LiteX region cxl_mem\)/);
    expect(d.steps.some((x) => /commit/i.test(x.name) && x.verdict === 'pass')).toBe(true);
  }, 60_000);

  async function region(topology: string, targets: Record<string, string>): Promise<void> {
    const run = await callApi(s, 'runs.start', { sessionId, sequence: 'region', topology, targets });
    const status = await s.runs.wait(run.id);
    const d = await callApi(s, 'runs.get', { id: run.id });
    const failed = d.steps.filter((x) => x.verdict === 'fail').map((x) => `${x.name}: ${x.reason}`);
    expect(status, `${d.summary}\n${failed.join('\n')}`).toBe('passed');
    expect(d.steps.some((x) => /^memory test/.test(x.name) && x.verdict === 'pass')).toBe(true);
  }

  it('single: the memory test\'s address-in-address words are in the board\'s media at the DPAs its decoder maps', async () => {
    const { sim, dev } = await board('single', 'hb0.rp0.ep0');
    await region('single', { 'hb0.rp0.ep0': sim.uri });
    const base = defaultTopology('single').windows[0].base;
    const words = new Uint8Array(16);
    dev.memory.read(dpa(0), words);
    // Each 8-byte word holds its own HPA (host/sequences/region/memory-test.ts): DPA 0 is the region's base.
    expect(u64At(words, 0)).toBe(base);
    expect(u64At(words, 8)).toBe(base + 8);
  }, 60_000);

  it('interleave2 with one endpoint on the board: the board holds every other granule, the emulated one the rest', async () => {
    const node = 'hb0.rp1.ep0';
    const topo = defaultTopology('interleave2');
    expect(topo.windows[0]).toBeDefined();
    const { sim, dev } = await board('interleave2', node);
    await region('interleave2', { [node]: sim.uri });
    // The region's granularity is the window's (host/sequences/region: default HBIG); granule k of the region
    // goes to interleave position k mod 2, so the board's DPA 0 holds granule p and its DPA G granule p + 2.
    const { base, granularity: g } = topo.windows[0];
    const words = new Uint8Array(8);
    dev.memory.read(dpa(0), words);
    const first = u64At(words, 0);
    expect([base, base + g]).toContain(first);
    dev.memory.read(dpa(g), words);
    expect(u64At(words, 0)).toBe(first + 2 * g);
  }, 60_000);
});

