import { describe, expect, it } from 'vitest';
import { MailboxClient } from '../../host/core/mbox.js';
import { decodeIdentifyMemdev, decodeSupportedLogs, CEL_UUID, encodeGetLog, decodeCel } from '../../host/core/mbox-payloads.js';
import { RC } from '../../host/core/mbox-opcodes.js';
import { FakeType3 } from './fake-type3.js';
import { envOf, makeCtx } from './run-env.js';

async function client(dev: FakeType3) {
  const ctx = makeCtx([dev]);
  const c = await MailboxClient.connect(dev, envOf(ctx));
  if ('error' in c) throw new Error(c.error);
  return { c, ctx };
}

describe('MailboxClient against a fake Type 3', () => {
  it('finds the mailbox through the register locator and reads the payload size', async () => {
    const { c } = await client(new FakeType3('ep', { payloadLog2: 9 }));
    expect(c.payloadSize).toBe(512);
    expect(c.regs.bar).toBe(2);
  });

  it('Identify Memory Device returns decoded capacities', async () => {
    const { c } = await client(new FakeType3('ep', { volatileUnits: 2, persistentUnits: 3 }));
    const r = await c.send(0x4000);
    expect(r.rc).toBe(RC.success);
    const id = decodeIdentifyMemdev(r.output);
    expect(id.volatileOnlyBytes).toBe(2 * 256 * 2 ** 20);
    expect(id.totalBytes).toBe(5 * 256 * 2 ** 20);
    expect(id.short).toBe(false);
  });

  it('reads the CEL through Get Supported Logs and Get Log', async () => {
    const dev = new FakeType3('ep', { celOpcodes: [0x4000, 0x0400, 0x0401] });
    const { c } = await client(dev);
    const logs = decodeSupportedLogs((await c.send(0x0400)).output);
    expect(logs.entries[0]!.uuid).toBe(CEL_UUID);
    const r = await c.send(0x0401, encodeGetLog(CEL_UUID, 0, logs.entries[0]!.size));
    expect(decodeCel(r.output).map((e) => e.opcode)).toEqual([0x4000, 0x0400, 0x0401]);
  });

  it('reports Unsupported for an opcode the device lacks', async () => {
    const { c } = await client(new FakeType3());
    const r = await c.send(0x4504);
    expect(r.rc).toBe(RC.unsupported);
    expect(r.rcName).toBe('Unsupported');
  });

  it('waits through a doorbell that stays set for several polls, advancing virtual time', async () => {
    const { c, ctx } = await client(new FakeType3('ep', { busyPolls: 5 }));
    const r = await c.send(0x4000);
    expect(r.rc).toBe(RC.success);
    expect(ctx.clock.now()).toBeGreaterThan(0);
    expect(ctx.clock.now()).toBeLessThan(2e9);
  });

  it('times out after 2 virtual seconds with the kernel message when the doorbell never clears', async () => {
    const { c, ctx } = await client(new FakeType3('ep', { busyPolls: 1_000_000 }));
    const r = await c.send(0x4000);
    expect(r.failure?.kind).toBe('timeout');
    expect(r.failure?.message).toContain('mailbox timeout');
    expect(ctx.clock.now()).toBeGreaterThanOrEqual(2e9);
  });

  it('refuses to ring a doorbell that is already set ("mailbox queue busy")', async () => {
    const dev = new FakeType3('ep', { busyPolls: 1_000_000 });
    const { c } = await client(dev);
    await c.send(0x4000, new Uint8Array(0), { timeoutNs: 1e6 });
    const r = await c.send(0x4000);
    expect(r.failure?.kind).toBe('busy');
    expect(r.failure?.message).toContain('mailbox queue busy');
  });

  it('follows a background command to completion through Background Command Status', async () => {
    const { c } = await client(new FakeType3('ep', { bgReads: 4 }));
    const r = await c.send(0x4400);
    expect(r.background).toBe(true);
    expect(r.rc).toBe(RC.success);
  });

  it('records every command through the trace sink', async () => {
    const dev = new FakeType3();
    const ctx = makeCtx([dev]);
    const recs: Array<{ opcode: number; returnCode: number }> = [];
    const sink = { nodeId: () => 7, access() {}, step() {}, mailbox: (_n: number, r: { opcode: number; returnCode: number }) => recs.push(r) };
    const c = await MailboxClient.connect(dev, { ...envOf(ctx), sink });
    if ('error' in c) throw new Error(c.error);
    await c.send(0x4000);
    await c.send(0x4504);
    expect(recs.map((r) => [r.opcode, r.returnCode])).toEqual([
      [0x4000, 0],
      [0x4504, 3],
    ]);
  });
});

describe('MailboxClient against the emulated Type 3 device', () => {
  it('runs Identify Memory Device and reports the configured capacities', async () => {
    const { realDevice } = await import('./real-device.js');
    const { target, ctx } = realDevice({ volatileBytes: 512 * 2 ** 20, persistentBytes: 256 * 2 ** 20 });
    const c = await MailboxClient.connect(target, envOf(ctx));
    if ('error' in c) throw new Error(c.error);
    expect(c.payloadSize).toBe(2048);
    const r = await c.send(0x4000);
    expect(r.rcName).toBe('Success');
    const id = decodeIdentifyMemdev(r.output);
    expect(id.volatileOnlyBytes).toBe(512 * 2 ** 20);
    expect(id.persistentOnlyBytes).toBe(256 * 2 ** 20);
  });

  it('gets the CEL and every CEL opcode is known to the device', async () => {
    const { realDevice } = await import('./real-device.js');
    const { target, ctx } = realDevice();
    const c = await MailboxClient.connect(target, envOf(ctx));
    if ('error' in c) throw new Error(c.error);
    const logs = decodeSupportedLogs((await c.send(0x0400)).output);
    const cel = logs.entries.find((e) => e.uuid === CEL_UUID)!;
    expect(cel.size).toBeGreaterThan(0);
    const r = await c.send(0x0401, encodeGetLog(CEL_UUID, 0, Math.min(cel.size, c.payloadSize)));
    expect(r.rc).toBe(0);
    expect(decodeCel(r.output).some((e) => e.opcode === 0x4000)).toBe(true);
  });
});
