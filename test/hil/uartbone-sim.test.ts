import { afterEach, describe, expect, it } from 'vitest';
import { execSync } from 'node:child_process';
import { SerialPort } from 'serialport';
import { startUartboneSim, type UartboneSim } from '../../hil/sim/uartbone-sim.js';
import { UartboneLink } from '../../hil/uartbone/uartbone-link.js';
import { encodeUbRead, encodeUbWrite } from '../../hil/uartbone/uartbone-codec.js';
import { fakeModel, seedWord, TEST_MAP } from './fake-model.js';
import { until } from './wait-until.js';

let haveSocat = true;
try {
  execSync('command -v socat', { stdio: 'ignore' });
} catch {
  haveSocat = false;
}

async function rawPort(path: string): Promise<SerialPort> {
  const p = new SerialPort({ path, baudRate: 1_000_000, autoOpen: false });
  await new Promise<void>((r, j) => p.open((e) => (e ? j(e) : r())));
  return p;
}
const collect = (p: SerialPort, n: number, ms: number): Promise<Uint8Array> =>
  new Promise((resolve) => {
    const got: number[] = [];
    const t = setTimeout(() => resolve(Uint8Array.from(got)), ms);
    p.on('data', (d: Buffer) => {
      got.push(...d);
      if (got.length >= n) (clearTimeout(t), resolve(Uint8Array.from(got)));
    });
  });

describe.skipIf(!haveSocat)('UARTBone simulator (gateware behaviour)', () => {
  let sim: UartboneSim | null = null;
  let port: SerialPort | null = null;
  afterEach(async () => {
    if (port?.isOpen) await new Promise<void>((r) => port!.close(() => r()));
    await sim?.close();
    sim = port = null;
  });

  it('paced at 1 Mbaud: a link that waits for each read reply loses no bytes, writes stream back to back', async () => {
    sim = await startUartboneSim({ model: fakeModel(), map: TEST_MAP, pty: true, baud: 1_000_000, paced: true });
    const link = new UartboneLink({ path: sim.path, baud: 1_000_000, timeoutMs: 500 });
    await link.open();
    const data = Array.from({ length: 600 }, (_, i) => (i * 3) >>> 0);
    await link.writeBurst(TEST_MAP.bar0.base + 0x4000, data);
    const t0 = performance.now();
    expect(Array.from(await link.readBurst(TEST_MAP.bar0.base + 0x4000, 600))).toEqual(data);
    // 600 words = 2400 reply bytes at 100 kB/s: the pacing makes it take at least ~24 ms minus one quantum.
    expect(performance.now() - t0).toBeGreaterThan(20);
    expect(sim.counters.lostBytes).toBe(0);
    await link.close();
  });

  it('paced at 115200: a read queued behind 1.4 s of pipelined writes does not time out at 600 ms', async () => {
    sim = await startUartboneSim({ model: fakeModel(), map: TEST_MAP, pty: true, baud: 115_200, paced: true });
    // The timeout counts from when the read has left the wire: 1.4 s of writes ahead of it would time it out at
    // 600 ms if it counted from queueing, while 600 ms leaves a loaded machine room for the simulator's lateness.
    const link = new UartboneLink({ path: sim.path, baud: 115_200, timeoutMs: 600 });
    await link.open();
    const data = Array.from({ length: 4000 }, (_, i) => (i ^ 0x5a5a) >>> 0);
    const w = link.writeBurst(TEST_MAP.bar0.base, data);
    expect(await link.read32(TEST_MAP.bar0.base + 4 * 3999)).toBe(data[3999]);
    await w;
    expect(link.stats.timeouts).toBe(0);
    await link.close();
  });

  it('paced: a host that sends a second read during the first reply loses it, as RS232PHYRX would', async () => {
    sim = await startUartboneSim({ model: fakeModel(), map: TEST_MAP, pty: true, baud: 1_000_000, paced: true });
    port = await rawPort(sim.path);
    const both = new Uint8Array(12);
    both.set(encodeUbRead(TEST_MAP.bar0.base, 255));
    both.set(encodeUbRead(TEST_MAP.cfg.base, 1), 6);
    const got = collect(port, 1024, 1000); // the second reply, if wrongly served, would arrive right behind the first
    port.write(both);
    expect((await got).length).toBe(1020); // only the first reply
    expect(sim.counters.lostBytes).toBe(6);
  });

  it('an unknown command is dropped after its header; the next command is served', async () => {
    sim = await startUartboneSim({ model: fakeModel(), map: TEST_MAP, pty: true });
    port = await rawPort(sim.path);
    const bytes = Uint8Array.of(0x09, 1, 0, 0, 0, 0, ...encodeUbRead(TEST_MAP.cfg.base + 4, 1));
    const got = collect(port, 4, 10_000);
    port.write(bytes);
    const r = await got;
    expect(new DataView(r.buffer).getUint32(0, false)).toBe(seedWord(0, 4));
  });

  it('a command cut short is abandoned after the gateware timer; later commands are served', async () => {
    sim = await startUartboneSim({ model: fakeModel(), map: TEST_MAP, pty: true, gatewareTimeoutMs: 30 });
    port = await rawPort(sim.path);
    port.write(encodeUbWrite(TEST_MAP.cfg.base, [1, 2]).subarray(0, 9)); // header + 3 data bytes
    // The FSM timer runs from the partial command's arrival: wait until the simulator has it, then past 30 ms.
    await until(() => sim!.counters.bytesIn >= 9, 'the partial command to reach the simulator');
    await new Promise((r) => setTimeout(r, 60));
    const got = collect(port, 4, 10_000);
    port.write(encodeUbRead(TEST_MAP.cfg.base + 8, 1));
    const r = await got;
    expect(new DataView(r.buffer).getUint32(0, false)).toBe(seedWord(0, 8));
    expect(sim.counters.resets).toBe(1);
  });
});
