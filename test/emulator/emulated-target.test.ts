import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../common/clock.js';
import type { MailboxTraceRecord, StepTraceRecord, TraceSink } from '../../common/trace-sink.js';
import { EmulatedTarget } from '../../emulator/emulated-target.js';
import { defaultType3Config } from '../../emulator/type3/config.js';
import { createType3 } from '../../emulator/type3/type3-device.js';
import { unsupportedBackend } from '../../emulator/type3/unsupported-backend.js';

class ArraySink implements TraceSink {
  rows: number[][] = [];
  nodes: string[] = [];
  nodeId(path: string): number {
    const i = this.nodes.indexOf(path);
    return i >= 0 ? i : this.nodes.push(path) - 1;
  }
  access(...a: number[]): void {
    this.rows.push(a);
  }
  mailbox(_n: number, _r: MailboxTraceRecord): void {}
  step(_r: StepTraceRecord): void {}
}

describe('EmulatedTarget', () => {
  it('traces every access with space, region, width, value and status, and never rejects', async () => {
    const dev = createType3(defaultType3Config(), new VirtualClock(), unsupportedBackend());
    const sink = new ArraySink();
    const t = new EmulatedTarget(dev.fn, sink, 'hb0.rp0.ep0');
    expect(await t.cfgRead(0, 2)).toBe(0x1e98);
    await t.cfgWrite(0x04, 2, 0x6);
    expect(await t.barRead64(0, 0x1000)).toBe(0n); // 64-bit to cache/mem: bad-access
    expect(await t.barRead(0, 0x20000, 4)).toBe(0xffff_ffff); // beyond the BAR: unclaimed
    expect(await t.barRead(3, 0, 4)).toBe(0xffff_ffff); // BAR3 not implemented
    const arr = await t.barRead64(2, 0);
    expect(Number(arr >> 32n)).toBe(3);
    expect(sink.nodes).toEqual(['hb0.rp0.ep0']);
    // node, space, region, offset, width, op, lo, hi, status
    expect(sink.rows).toEqual([
      [0, 0, 0, 0, 2, 0, 0x1e98, 0, 0],
      [0, 0, 0, 0x04, 2, 1, 0x6, 0, 0],
      [0, 1, 1, 0x1000, 8, 0, 0, 0, 2],
      [0, 1, 1, 0x20000, 4, 0, 0xffff_ffff, 0, 1],
      [0, 1, 4, 0, 4, 0, 0xffff_ffff, 0, 1],
      [0, 1, 3, 0, 8, 0, Number(arr & 0xffff_ffffn), 3, 0],
    ]);
  });

  it('works without a sink', async () => {
    const dev = createType3(defaultType3Config(), new VirtualClock(), unsupportedBackend());
    const t = new EmulatedTarget(dev.fn, null, 'ep');
    expect(await t.cfgRead(2, 2)).toBe(0x7003);
  });
});

describe('traceMailbox', () => {
  it('records each mailbox command with its name and return code', async () => {
    const { traceMailbox } = await import('../../emulator/type3/mailbox-trace.js');
    const dev = createType3(defaultType3Config(), new VirtualClock());
    const recs: MailboxTraceRecord[] = [];
    const sink = new ArraySink();
    sink.mailbox = (_n, r) => void recs.push(r);
    traceMailbox(dev, sink, 'ep0');
    const mb = 0x200; // spec profile primary mailbox
    dev.fn.barWrite64(2, mb + 0x08, 0x4000n);
    dev.fn.barWrite(2, mb + 0x04, 4, 1);
    dev.fn.barWrite64(2, mb + 0x08, 0xabcdn);
    dev.fn.barWrite(2, mb + 0x04, 4, 1);
    expect(recs.map((r) => [r.opcode, r.returnCode])).toEqual([
      [0x4000, 0],
      [0xabcd, 3],
    ]);
    expect(recs[0].name).toMatch(/identify/i);
    expect(recs[0].outputHex.length).toBeGreaterThan(0);
  });
});
