import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { execSync } from 'node:child_process';
import { UartboneLink } from '../../hil/uartbone/uartbone-link.js';
import { startUartboneSim, type UartboneSim } from '../../hil/sim/uartbone-sim.js';
import { LinkError } from '../../hil/link.js';
import { fakeModel, seedWord, TEST_MAP } from './fake-model.js';
import { until } from './wait-until.js';

let haveSocat = true;
try {
  execSync('command -v socat', { stdio: 'ignore' });
} catch {
  haveSocat = false;
}
if (!haveSocat) console.warn('hil uartbone tests skipped: socat missing (apt-get install -y socat)');

// Short gateware timer and resync wait keep fault tests fast; the ratio (resync > gateware) is what matters.
const GW_MS = 40;
// Fault tests wait for a read timeout, so theirs is short; everything else gets one a loaded machine (2 cores,
// two test suites at once) cannot exceed, so a slow answer is never mistaken for a fault.
const opts = { timeoutMs: 150, resyncQuietMs: GW_MS + 20 };
const calm = { ...opts, timeoutMs: 2000 };

describe.skipIf(!haveSocat)('UartboneLink over a socat pty pair', () => {
  let sim: UartboneSim | null = null;
  let link: UartboneLink | null = null;
  afterEach(async () => {
    await link?.close();
    await sim?.close();
    link = null;
    sim = null;
  });

  async function setup(model = fakeModel(), o: typeof opts = calm) {
    sim = await startUartboneSim({ model, map: TEST_MAP, pty: true, baud: 1_000_000, gatewareTimeoutMs: GW_MS });
    link = new UartboneLink({ path: sim.path, baud: 1_000_000, ...o });
    await link.open();
    return { model, sim, link };
  }

  it('reads a config dword and a BAR word the model holds', async () => {
    const { link } = await setup();
    expect(await link.read32(TEST_MAP.cfg.base + 0x10)).toBe(seedWord(0, 0x10));
    expect(await link.read32(TEST_MAP.bar2.base + 0x200)).toBe(seedWord(3, 0x200));
  });

  it('a write lands in the model and reads back', async () => {
    const { link, model } = await setup();
    await link.write32(TEST_MAP.bar0.base + 0x40, 0xdead_beef);
    expect(await link.read32(TEST_MAP.bar0.base + 0x40)).toBe(0xdead_beef);
    expect(model.barRead(0, 0x40, 4)).toBe(0xdead_beef);
  });

  it('bursts longer than 255 words are split and come back in order', async () => {
    const { link, sim } = await setup();
    const words = await link.readBurst(TEST_MAP.bar0.base, 600);
    expect(words.length).toBe(600);
    for (const i of [0, 254, 255, 256, 599]) expect(words[i]).toBe(seedWord(1, 4 * i));
    const data = Array.from({ length: 300 }, (_, i) => (i * 0x01010101) >>> 0);
    await link.writeBurst(TEST_MAP.bar0.base + 0x1000, data);
    expect(Array.from(await link.readBurst(TEST_MAP.bar0.base + 0x1000, 300))).toEqual(data);
    expect(sim.counters.lostBytes).toBe(0);
  });

  it('garbage before a reply: detected, resynchronised, read retried with the right value', async () => {
    const { link, sim } = await setup();
    sim.inject({ garbage: Uint8Array.of(0x55, 0xaa, 0x01) });
    expect(await link.read32(TEST_MAP.cfg.base)).toBe(seedWord(0, 0));
    expect(link.stats.retries).toBeGreaterThanOrEqual(1);
  });

  it('a lost reply byte times out, then the read is retried after resync', async () => {
    const { link, sim } = await setup(fakeModel(), opts);
    sim.inject({ dropBytes: 1 });
    const t0 = performance.now();
    expect(await link.read32(TEST_MAP.cfg.base + 4)).toBe(seedWord(0, 4));
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(link.stats.timeouts).toBeGreaterThanOrEqual(1); // more only if the retry itself was slow (load)
  });

  it('a request byte lost on the way in: the read times out, the gateware timer resets, the retry succeeds', async () => {
    const { link, sim } = await setup(fakeModel(), opts);
    sim.inject({ dropRequestBytes: 1 });
    const t0 = performance.now();
    expect(await link.read32(TEST_MAP.bar2.base + 0x40)).toBe(seedWord(3, 0x40));
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(link.stats.timeouts).toBeGreaterThanOrEqual(1);
    expect(sim.counters.resets).toBeGreaterThanOrEqual(1);
  });

  it('a stall longer than every retry ends in a timeout LinkError within 2 s, then the link works again', async () => {
    const { link, sim } = await setup();
    const l = new UartboneLink({ path: sim.path, baud: 1_000_000, ...opts, maxRetries: 0 });
    await link.close();
    await l.open();
    sim.inject({ stallMs: 400 });
    const t0 = performance.now();
    const err = await l.read32(TEST_MAP.cfg.base).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LinkError);
    expect((err as LinkError).kind).toBe('timeout');
    expect(performance.now() - t0).toBeLessThan(2000);
    // The late reply arrives (it is unsolicited now) and the next read resynchronises past it first. Wait for
    // it rather than for a guessed time, and give the check read a timeout a loaded machine cannot miss.
    await until(() => l.stats.bytesIn >= 4, 'the late reply');
    l.timeoutMs = 2000;
    expect(await l.read32(TEST_MAP.cfg.base + 8)).toBe(seedWord(0, 8));
    await l.close();
  });

  it('the pty disappearing mid-run fails pending requests with link-error and emits lost; reconnect to a new port works', async () => {
    const { link, sim: first } = await setup();
    const events: string[] = [];
    link.on('lost', (d) => events.push(`lost:${d.reason}`));
    expect(await link.read32(TEST_MAP.cfg.base)).toBe(seedWord(0, 0));
    // A vanished pty may only show as silence: the per-request timeout must leave room inside the 2 s bound even
    // on a loaded machine (with 2 s it was the bound itself).
    link.timeoutMs = 1000;
    const pending = link.readBurst(TEST_MAP.bar0.base, 2000).catch((e: unknown) => e);
    await first.disconnect();
    // The bound runs from the fault (socat gone, both pty ends vanished), not from the harness's teardown of it.
    const t0 = performance.now();
    const err = await pending;
    expect(err).toBeInstanceOf(LinkError);
    expect((err as LinkError).kind).toBe('link-error');
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(events.length).toBe(1);
    // Events before the failure are kept: the earlier read's statistics are still there.
    expect(link.stats.requests).toBeGreaterThanOrEqual(2);
    await first.close();
    sim = await startUartboneSim({ model: fakeModel(), map: TEST_MAP, pty: true, baud: 1_000_000, gatewareTimeoutMs: GW_MS });
    const again = new UartboneLink({ path: sim.path, baud: 1_000_000, ...calm });
    await again.open();
    expect(await again.read32(TEST_MAP.cfg.base + 12)).toBe(seedWord(0, 12));
    await again.close();
  });

  it('reconnect() reopens the same port', async () => {
    const { link } = await setup();
    const seen: string[] = [];
    link.on('connected', () => seen.push('c'));
    await link.reconnect();
    expect(seen).toEqual(['c']);
    expect(await link.read32(TEST_MAP.cfg.base + 0x20)).toBe(seedWord(0, 0x20));
  });
});
