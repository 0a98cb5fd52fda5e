import { execSync } from 'node:child_process';
import { UartboneLink } from '../../hil/uartbone/uartbone-link.js';
import { startUartboneSim } from '../../hil/sim/uartbone-sim.js';
import { afterEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../common/clock.js';
import { LinkFault } from '../../common/target.js';
import { STATUSES, type CfgWidth } from '../../common/access.js';
import type { TraceSink } from '../../common/trace-sink.js';
import type { FunctionModel } from '../../common/function-model.js';
import type { DeviceMap } from '../../hil/device-map.js';
import { createType3, defaultType3Config } from '../../emulator/type3/index.js';
import { HardwareEndpoint } from '../../hil/hardware-endpoint.js';
import { packedDeviceMap } from '../../hil/device-map.js';
import { EtherboneTcpLink } from '../../hil/etherbone/etherbone-tcp-link.js';
import { startEtherboneSim, type EtherboneSim } from '../../hil/sim/etherbone-sim.js';
import { fakeModel, seedWord, TEST_MAP } from './fake-model.js';
import { until } from './wait-until.js';

interface Rec {
  region: number;
  offset: number;
  width: number;
  op: number;
  lo: number;
  hi: number;
  status: string;
}
function recordingSink(): TraceSink & { recs: Rec[] } {
  const recs: Rec[] = [];
  return {
    recs,
    nodeId: () => 7,
    access: (_n, _s, region, offset, width, op, lo, hi, st) => recs.push({ region, offset, width, op, lo, hi, status: STATUSES[st] }),
    mailbox: () => undefined,
    step: () => undefined,
  };
}

let sim: EtherboneSim | null = null;
let link: EtherboneTcpLink | null = null;
afterEach(async () => {
  await link?.close();
  await sim?.close();
  sim = null;
  link = null;
});

async function endpoint(model: FunctionModel = fakeModel(), map: DeviceMap = TEST_MAP, timeoutMs = 500) {
  sim = await startEtherboneSim({ model, map });
  link = new EtherboneTcpLink({ host: sim.host, port: sim.port, timeoutMs });
  await link.open();
  const sink = recordingSink();
  return { ep: new HardwareEndpoint(link, map, 'hb0.rp0.ep0', sink), sink, model, sim };
}

describe('HardwareEndpoint', () => {
  it('reads of a simulated Type 3 device equal direct FunctionModel reads (cfg, BAR0, BAR2; widths 1/2/4/8)', async () => {
    const direct = createType3(defaultType3Config(), new VirtualClock()).fn;
    const served = createType3(defaultType3Config(), new VirtualClock()).fn;
    const map = packedDeviceMap(served.barSizes());
    const { ep } = await endpoint(served, map);
    expect(ep.backend).toBe(link!.uri);
    for (const off of [0x00, 0x04, 0x08, 0x0c, 0x10, 0x2c, 0x34, 0x100, 0x148, 0x154])
      for (const w of [1, 2, 4] as CfgWidth[]) {
        const o = off + (w === 1 ? 3 : w === 2 ? 2 : 0);
        expect(await ep.cfgRead(o, w), `cfg 0x${o.toString(16)}/${w}`).toBe(direct.cfgRead(o, w));
      }
    for (const off of [0x1000, 0x1004, 0x1008, 0x100c, 0x1100]) expect(await ep.barRead(0, off, 4)).toBe(direct.barRead(0, off, 4));
    for (const off of [0x00, 0x10, 0x20, 0x200, 0x208]) expect(await ep.barRead64(2, off)).toBe(direct.barRead64(2, off));
  });

  it('a 16-bit write to a link without sub-word access is a read-modify-write of the dword', async () => {
    const { ep, model } = await endpoint();
    await ep.barWrite(2, 0x102, 2, 0xbeef);
    const before = seedWord(3, 0x100);
    expect(await ep.barRead(2, 0x102, 2)).toBe(0xbeef); // also proves the unacknowledged write landed
    expect(model.barRead(2, 0x100, 4)).toBe(((before & 0xffff) | (0xbeef << 16)) >>> 0);
    expect(await ep.barRead(2, 0x100, 1)).toBe(before & 0xff);
  });

  it('64-bit writes go low dword then high dword', async () => {
    const { ep, model, sink } = await endpoint();
    await ep.barWrite64(0, 0x80, 0x1122_3344_5566_7788n);
    expect(await ep.barRead64(0, 0x80)).toBe(0x1122_3344_5566_7788n);
    expect(model.barRead(0, 0x80, 4)).toBe(0x5566_7788);
    expect(model.barRead(0, 0x84, 4)).toBe(0x1122_3344);
    expect(sink.recs[0]).toMatchObject({ region: 1, offset: 0x80, width: 8, op: 1, lo: 0x5566_7788, hi: 0x1122_3344, status: 'ok' });
  });

  it('a 64-bit access is one 2-word wire request; the bus sees the low dword, then the high dword', async () => {
    const base = fakeModel();
    const bus: string[] = [];
    const model: FunctionModel = {
      ...base,
      barRead: (bar, o, w) => (bus.push(`R${bar}:${o.toString(16)}`), base.barRead(bar, o, w)),
      barWrite: (bar, o, w, v) => (bus.push(`W${bar}:${o.toString(16)}`), base.barWrite(bar, o, w, v)),
    };
    const { ep, sink, sim } = await endpoint(model);
    const before = sim.counters.requests;
    await ep.barWrite64(2, 0x20, 0xaaaa_bbbb_cccc_ddddn);
    expect(await ep.barRead64(2, 0x20)).toBe(0xaaaa_bbbb_cccc_ddddn);
    expect(sim.counters.requests - before).toBe(2);
    expect(bus).toEqual(['W2:20', 'W2:24', 'R2:20', 'R2:24']);
    // The trace holds the host's two 64-bit accesses, as before.
    expect(sink.recs.map((r) => `${r.op}:${r.width}:${r.offset.toString(16)}:${r.lo.toString(16)}:${r.hi.toString(16)}`)).toEqual([
      '1:8:20:ccccdddd:aaaabbbb',
      '0:8:20:ccccdddd:aaaabbbb',
    ]);
  });

  it('every access is traced; an unmapped BAR reads all-ones as unclaimed without touching the link', async () => {
    const { ep, sink } = await endpoint();
    const before = link!.stats.requests;
    expect(await ep.barRead(4, 0, 4)).toBe(0xffff_ffff);
    expect(await ep.cfgRead(0x2000, 4)).toBe(0xffff_ffff);
    expect(link!.stats.requests).toBe(before);
    expect(sink.recs.map((r) => r.status)).toEqual(['unclaimed', 'unclaimed']);
    await ep.cfgRead(0, 4);
    expect(sink.recs[2]).toMatchObject({ region: 0, offset: 0, width: 4, op: 0, lo: seedWord(0, 0), status: 'ok' });
  });

  it('a link timeout is traced with status timeout, then rejects with LinkFault', async () => {
    const { ep, sink, sim } = await endpoint(fakeModel(), TEST_MAP, 80);
    sim.inject({ stallMs: 200 });
    const err = await ep.cfgRead(0x10, 4).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LinkFault);
    expect((err as LinkFault).kind).toBe('timeout');
    expect((err as LinkFault).message).toContain('hb0.rp0.ep0');
    expect(sink.recs.at(-1)).toMatchObject({ offset: 0x10, op: 0, status: 'timeout' });
  });

  it('a dropped link is traced with link-error and rejects with LinkFault link-error', async () => {
    const { ep, sink, sim } = await endpoint();
    await ep.cfgRead(0, 4);
    sim.disconnect();
    await until(() => !link!.isOpen, 'the link to see the connection drop');
    const err = await ep.barWrite(0, 0x10, 4, 1).catch((e: unknown) => e);
    expect((err as LinkFault).kind).toBe('link-error');
    expect(sink.recs.map((r) => r.status)).toEqual(['ok', 'link-error']);
  });
});


let socat = true;
try {
  execSync('command -v socat', { stdio: 'ignore' });
} catch {
  socat = false;
}

describe.skipIf(!socat)('HardwareEndpoint over UARTBone', () => {
  it('the pty vanishing mid-run: earlier accesses stay traced ok, the failing one is traced link-error and rejects', async () => {
    const usim = await startUartboneSim({ model: fakeModel(), map: TEST_MAP, pty: true });
    const ulink = new UartboneLink({ path: usim.path, baud: 115_200, timeoutMs: 300 });
    await ulink.open();
    const sink = recordingSink();
    const ep = new HardwareEndpoint(ulink, TEST_MAP, 'ep0', sink);
    try {
      expect(await ep.cfgRead(0, 2)).toBe(seedWord(0, 0) & 0xffff);
      await usim.disconnect();
      const t0 = performance.now();
      const err = await ep.barRead64(0, 0).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(LinkFault);
      expect((err as LinkFault).kind).toBe('link-error');
      expect(performance.now() - t0).toBeLessThan(2000);
      expect(sink.recs.map((r) => `${r.width}:${r.status}`)).toEqual(['2:ok', '8:link-error']);
    } finally {
      await ulink.close();
      await usim.close();
    }
  });
});

describe('HardwareEndpoint memory window (DPA-addressed)', () => {
  /** A 64 KiB byte array behind the map's 'mem' window, as a board's memory seen by a debug bridge. */
  function ram(bytes = 0x10000) {
    const mem = new Uint8Array(bytes);
    return {
      mem,
      memory: {
        mediaAccess: (d: number, n: number) => (d + n <= bytes ? ('ok' as const) : ('out-of-range' as const)),
        read: (d: number, out: Uint8Array) => out.set(mem.subarray(d, d + out.length)),
        write: (d: number, data: Uint8Array) => mem.set(data, d),
      },
    };
  }
  const MEM_MAP: DeviceMap = { ...TEST_MAP, mem: { base: 0x8000_0000, size: 0x10000 } };

  async function memEndpoint() {
    const r = ram();
    sim = await startEtherboneSim({ model: fakeModel(), map: MEM_MAP, memory: r.memory });
    link = new EtherboneTcpLink({ host: sim.host, port: sim.port, timeoutMs: 500 });
    await link.open();
    const sink = recordingSink();
    return { ep: new HardwareEndpoint(link, MEM_MAP, 'hb0.rp0.ep0', sink), sink, mem: r.mem };
  }

  it('unaligned writes keep the neighbouring bytes of their first and last words (read-modify-write), reads return the bytes', async () => {
    const { ep, sink, mem } = await memEndpoint();
    mem.fill(0xa5);
    for (const [at, len] of [[0x101, 2], [0x203, 1], [0x302, 9], [0x400, 8], [0x1001, 700]] as const) {
      const data = Uint8Array.from({ length: len }, (_, i) => (at + i * 13) & 0xff);
      expect(await ep.memWrite(at as never, data)).toBe('ok');
      // Etherbone writes are posted: the read back through the same link orders after them.
      const back = new Uint8Array(len);
      expect(await ep.memRead(at as never, back)).toBe('ok');
      expect([...back]).toEqual([...data]);
      expect([...mem.subarray(at, at + len)], `write at 0x${at.toString(16)}+${len}`).toEqual([...data]);
      expect(mem[at - 1]).toBe(0xa5);
      expect(mem[at + len]).toBe(0xa5);
    }
    // Memory accesses are the platform's to trace (by HPA), not the endpoint's.
    expect(sink.recs).toEqual([]);
  });

  it('no window, or a span past its end, is unclaimed: reads all-ones, nothing written', async () => {
    const { ep, mem } = await memEndpoint();
    const out = new Uint8Array(8);
    expect(await ep.memRead(0xfffc as never, out)).toBe('unclaimed');
    expect([...out]).toEqual(new Array(8).fill(0xff));
    expect(await ep.memWrite(0xfffe as never, new Uint8Array(4).fill(1))).toBe('unclaimed');
    expect(await ep.memRead(0 as never, out)).toBe('ok'); // orders after any posted write
    expect(mem.subarray(0xfff0).every((b) => b === 0)).toBe(true);
    const bare = new HardwareEndpoint(link!, TEST_MAP, 'hb0.rp0.ep0', null);
    expect(await bare.memRead(0 as never, out)).toBe('unclaimed');
  });

  it('a link that fails rejects with LinkFault', async () => {
    const { ep } = await memEndpoint();
    await sim!.close();
    sim = null;
    await expect(ep.memRead(0 as never, new Uint8Array(4))).rejects.toBeInstanceOf(LinkFault);
  });
});
