import { afterEach, describe, expect, it, vi } from 'vitest';
import { EtherboneTcpLink } from '../../hil/etherbone/etherbone-tcp-link.js';
import { EtherboneUdpLink } from '../../hil/etherbone/etherbone-udp-link.js';
import { startEtherboneSim, type EtherboneSim } from '../../hil/sim/etherbone-sim.js';
import { LinkError, openLink } from '../../hil/link.js';
import { fakeModel, seedWord, TEST_MAP } from './fake-model.js';
import { until } from './wait-until.js';

let sims: EtherboneSim[] = [];
let closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of closers) await c();
  for (const s of sims) await s.close();
  sims = [];
  closers = [];
});

/**
 * Reads over `transport` with setTimeout frozen: they must complete, i.e. the simulator answers in the turn the
 * request arrives (a 0 ms timer per reply waits ~1 ms, which made every loopback read take 1.2 ms).
 */
async function readsWithoutTimers(transport: 'tcp' | 'udp'): Promise<number[]> {
  const { s } = await sim(transport);
  const link = await openLink(s.uri, { timeoutMs: 500 });
  closers.push(() => link.close());
  const realSetTimeout = globalThis.setTimeout;
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  try {
    const reads = Promise.all([0, 4, 8].map(async (o) => link.read32(TEST_MAP.cfg.base + o)));
    const bound = new Promise<'no answer'>((r) => realSetTimeout(() => r('no answer'), 3000));
    const got = await Promise.race([reads, bound]);
    if (got === 'no answer') throw new Error(`${transport}: reads did not complete while timers were frozen`);
    return got;
  } finally {
    vi.useRealTimers();
  }
}

async function sim(transport: 'tcp' | 'udp', model = fakeModel()) {
  const s = await startEtherboneSim({ model, map: TEST_MAP, transport });
  sims.push(s);
  return { s, model };
}

describe('EtherboneTcpLink against a litex_server-style loopback server', () => {
  it('reads, writes and long bursts (split at 255 words, pipelined)', async () => {
    const { s, model } = await sim('tcp');
    const link = await openLink(s.uri, { timeoutMs: 500 });
    closers.push(() => link.close());
    expect(link.transport).toBe('etherbone+tcp');
    expect(await link.read32(TEST_MAP.cfg.base + 0x3c)).toBe(seedWord(0, 0x3c));
    await link.write32(TEST_MAP.bar2.base + 0x10, 0x1234_5678);
    // Etherbone writes are not acknowledged: a read behind the write proves it landed.
    expect(await link.read32(TEST_MAP.bar2.base + 0x10)).toBe(0x1234_5678);
    expect(model.barRead(2, 0x10, 4)).toBe(0x1234_5678);
    const words = await link.readBurst(TEST_MAP.bar0.base, 700);
    for (const i of [0, 255, 510, 699]) expect(words[i]).toBe(seedWord(1, 4 * i));
    const data = Array.from({ length: 400 }, (_, i) => (0xa5000000 + i) >>> 0);
    await link.writeBurst(TEST_MAP.bar0.base + 0x2000, data);
    expect(Array.from(await link.readBurst(TEST_MAP.bar0.base + 0x2000, 400))).toEqual(data);
  });

  it('the server closing the connection fails pending reads with link-error within 2 s and emits lost; reconnect works', async () => {
    const { s } = await sim('tcp');
    // A timeout far beyond the bound: the only way for the read to end is the dropped connection.
    const link = new EtherboneTcpLink({ host: s.host, port: s.port, timeoutMs: 10_000 });
    await link.open();
    closers.push(() => link.close());
    const lost: string[] = [];
    link.on('lost', (d) => lost.push(d.reason ?? ''));
    expect(await link.read32(TEST_MAP.cfg.base)).toBe(seedWord(0, 0));
    s.inject({ stallMs: 30_000 });
    const p = link.read32(TEST_MAP.cfg.base + 4).catch((e: unknown) => e);
    // Drop the connection once the server holds the read (not after a guessed delay); the 2 s bound runs from
    // the moment of the fault.
    await until(() => s.counters.requests >= 2, 'the read to reach the server');
    const t0 = performance.now();
    s.disconnect();
    const err = await p;
    expect(err).toBeInstanceOf(LinkError);
    expect((err as LinkError).kind).toBe('link-error');
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(lost).toHaveLength(1);
    expect(link.stats.requests).toBe(2); // the read before the failure is still counted
    await link.reconnect();
    expect(await link.read32(TEST_MAP.cfg.base + 8)).toBe(seedWord(0, 8));
  });

  it('a stalled server gives a timeout; the late reply is discarded and the next read gets its own value', async () => {
    const { s } = await sim('tcp');
    const link = new EtherboneTcpLink({ host: s.host, port: s.port, timeoutMs: 100 });
    await link.open();
    closers.push(() => link.close());
    s.inject({ stallMs: 250 });
    const err = await link.read32(TEST_MAP.cfg.base).catch((e: unknown) => e);
    expect((err as LinkError).kind).toBe('timeout');
    link.timeoutMs = 10_000; // the check read must not time out on a loaded machine
    expect(await link.read32(TEST_MAP.cfg.base + 0x10)).toBe(seedWord(0, 0x10));
  });

  it('garbage from the server drops the connection with link-error (TCP has no resync point)', async () => {
    const { s } = await sim('tcp');
    const link = new EtherboneTcpLink({ host: s.host, port: s.port, timeoutMs: 500 });
    await link.open();
    closers.push(() => link.close());
    s.inject({ garbage: new Uint8Array(16).fill(0x77) });
    const err = await link.read32(TEST_MAP.cfg.base).catch((e: unknown) => e);
    expect((err as LinkError).kind).toBe('link-error');
    expect(link.isOpen).toBe(false);
    await link.reconnect();
    expect(await link.read32(TEST_MAP.cfg.base)).toBe(seedWord(0, 0));
  });

  it('the sim drops the connection after N requests on demand', async () => {
    const { s } = await sim('tcp');
    const link = new EtherboneTcpLink({ host: s.host, port: s.port, timeoutMs: 500 });
    await link.open();
    closers.push(() => link.close());
    s.inject({ disconnectAfter: 2 });
    await link.read32(TEST_MAP.cfg.base);
    await link.read32(TEST_MAP.cfg.base);
    const err = await link.read32(TEST_MAP.cfg.base).catch((e: unknown) => e);
    expect((err as LinkError).kind).toBe('link-error');
  });

  it('the simulator answers a read in the turn it arrives, with no timer in the path', async () => {
    expect(await readsWithoutTimers('tcp')).toEqual([seedWord(0, 0), seedWord(0, 4), seedWord(0, 8)]);
  });

  it('a stall holds back the replies behind it: they arrive in request order', async () => {
    const { s } = await sim('tcp');
    const link = new EtherboneTcpLink({ host: s.host, port: s.port, timeoutMs: 2000 });
    await link.open();
    closers.push(() => link.close());
    s.inject({ stallMs: 50 });
    const order: number[] = [];
    const reads = [0, 4, 8].map((o, i) => link.read32(TEST_MAP.cfg.base + o).then((v) => (order.push(i), v)));
    expect(await Promise.all(reads)).toEqual([seedWord(0, 0), seedWord(0, 4), seedWord(0, 8)]);
    expect(order).toEqual([0, 1, 2]);
  });

  it('connecting to a port nobody listens on fails with link-error', async () => {
    const { s } = await sim('tcp');
    const port = s.port;
    await s.close();
    sims = [];
    const err = await new EtherboneTcpLink({ host: '127.0.0.1', port, timeoutMs: 500 }).open().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LinkError);
    expect((err as LinkError).kind).toBe('link-error');
  });
});

describe('EtherboneUdpLink against a LiteEth-style loopback core', () => {
  it('probes on open, then reads, writes and bursts', async () => {
    const { s, model } = await sim('udp');
    const link = await openLink(s.uri, { timeoutMs: 300 });
    closers.push(() => link.close());
    expect(link.transport).toBe('etherbone+udp');
    await link.write32(TEST_MAP.cfg.base + 0x40, 0xcafe_f00d);
    expect(await link.read32(TEST_MAP.cfg.base + 0x40)).toBe(0xcafe_f00d);
    expect(model.cfgRead(0x40, 4)).toBe(0xcafe_f00d);
    const w = await link.readBurst(TEST_MAP.bar2.base, 300);
    expect(w[299]).toBe(seedWord(3, 4 * 299));
  });

  it('a dropped reply datagram is retried (reads only) and the value is right', async () => {
    const { s } = await sim('udp');
    const link = new EtherboneUdpLink({ host: s.host, port: s.port, timeoutMs: 80 });
    await link.open();
    closers.push(() => link.close());
    s.inject({ dropBytes: 1 });
    expect(await link.read32(TEST_MAP.bar0.base + 0x80)).toBe(seedWord(1, 0x80));
    expect(link.stats.retries).toBeGreaterThanOrEqual(1); // more only if a retry's answer was slow too (load)
  });

  it('the simulator answers a datagram in the turn it arrives, with no timer in the path', async () => {
    expect(await readsWithoutTimers('udp')).toEqual([seedWord(0, 0), seedWord(0, 4), seedWord(0, 8)]);
  });

  it('no probe reply: open fails with a timeout LinkError naming the URI', async () => {
    const err = await new EtherboneUdpLink({ host: '127.0.0.1', port: 9, timeoutMs: 100 }).open().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LinkError);
    expect((err as Error).message).toContain('etherbone+udp://127.0.0.1:9');
  });
});
