// Emulated accesses take their profile's time (issue 15, finding 2): a probe's trace has a rising time axis,
// each access advances by its kind's latency, a command's execution lands between the doorbell write and the
// next access, a 'qemu' endpoint runs commands inside the doorbell write (no execution time), and the device's own
// clock is not moved (timestamps and background progress stay as they were).
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../common/clock.js';
import { LATENCY_MODELS, LatencyClock } from '../../../emulator/timing/index.js';
import { emulatedPlatform } from '../../../main/runs/emulated-endpoints.js';
import { TraceBuffer } from '../../../trace/trace-buffer.js';
import { MailboxClient } from '../../../host/core/mbox.js';

function setup(profile?: 'qemu') {
  const device = new VirtualClock();
  const clock = new LatencyClock(device);
  const buf = new TraceBuffer(clock);
  const env = emulatedPlatform('single', device, buf, { traceClock: clock, ...(profile ? { profile } : {}) });
  return { clock, device, buf, env, target: env.targets.get('hb0.rp0.ep0')! };
}

describe('emulator timing', () => {
  it('firmware enumeration already spreads over time: config cycles 1 µs apart on the spec profile', () => {
    const { buf, clock } = setup();
    expect(buf.count).toBeGreaterThan(10);
    const times = buf.events(0, buf.count).map((e) => e.timeNs);
    for (let i = 1; i < times.length; i++) expect(times[i]!).toBeGreaterThanOrEqual(times[i - 1]!);
    expect(times[1]! - times[0]!).toBe(LATENCY_MODELS.spec.cfgReadNs);
    expect(clock.now()).toBeGreaterThan(0);
  });

  it("the device's own clock (timestamps, background progress) does not move with access time", () => {
    const { device, clock } = setup();
    expect(clock.now()).toBeGreaterThan(0);
    expect(device.now()).toBe(0);
  });

  it('an MMIO read and a posted write advance by their own latencies', async () => {
    const { clock, target } = setup();
    const t0 = clock.now();
    await target.barRead(0, 0, 4);
    expect(clock.now() - t0).toBe(LATENCY_MODELS.spec.mmioReadNs);
    await target.barWrite(0, 0x1000, 4, 0);
    expect(clock.now() - t0).toBe(LATENCY_MODELS.spec.mmioReadNs + LATENCY_MODELS.spec.mmioWriteNs);
  });

  it('Identify: the execution time sits after the doorbell write, before the next access', async () => {
    const { device, buf, target } = setup();
    const client = await MailboxClient.connect(target, { now: () => device.now(), sink: buf, sleep: async (ns: number) => device.advance(ns) });
    if ('error' in client) throw new Error(client.error);
    const before2 = buf.count;
    await client.send(0x4000, new Uint8Array(0));
    const evs = buf.events(before2, buf.count);
    const gaps = evs.slice(1).map((e, i) => e.timeNs - evs[i]!.timeNs);
    expect(Math.max(...gaps)).toBeGreaterThanOrEqual(LATENCY_MODELS.spec.mailboxOpNs[0x4000]);
  });

  it("a 'qemu' endpoint's command adds no execution time", async () => {
    const { device, buf, target } = setup('qemu');
    const client = await MailboxClient.connect(target, { now: () => device.now(), sink: buf, sleep: async (ns: number) => device.advance(ns) });
    if ('error' in client) throw new Error(client.error);
    const before2 = buf.count;
    await client.send(0x4000, new Uint8Array(0));
    const evs = buf.events(before2, buf.count);
    const gaps = evs.slice(1).map((e, i) => e.timeNs - evs[i]!.timeNs);
    expect(Math.max(...gaps)).toBeLessThan(10_000);
  });
});
