import { describe, expect, it } from 'vitest';
import { DecodeContext, decodeEvent } from '../../trace/decode.js';
import { LayoutIndex } from '../../trace/layout-index.js';
import { acc, layoutFor, resolve } from './fixtures.js';

const layout = layoutFor('ep0');

describe('decodeEvent', () => {
  it('names block, register and fields of a declared register', () => {
    const d = decodeEvent(acc('ep0', 'bar2', 0x84, 'R', 3n), layout, resolve);
    expect(d.block).toBe('Mailbox');
    expect(d.register).toBe('Control');
    expect(d.fields).toEqual([
      { name: 'Doorbell', value: 1n },
      { name: 'IntEnable', value: 1n },
    ]);
    expect(d.text).toBe('ep0 · Mailbox · Control · Doorbell=1, IntEnable=1');
  });

  it('shows named values and only the fields a partial access covers', () => {
    const d = decodeEvent(acc('ep0', 'bar2', 0x94, 'R', 1n, 4), layout, resolve);
    expect(d.register).toBe('Status');
    expect(d.fields).toEqual([{ name: 'ReturnCode', value: 1n, meaning: 'Background Command Started' }]);
    const dev = decodeEvent(acc('ep0', 'cfg', 2, 'R', 0x1234n, 2), layout, resolve);
    expect(dev.fields).toEqual([{ name: 'Device', value: 0x1234n }]);
  });

  it('shows non-zero reserved bits but hides zero ones', () => {
    const d = decodeEvent(acc('ep0', 'bar2', 0x84, 'R', 0x80000000n), layout, resolve);
    expect(d.fields.map((f) => f.name)).toEqual(['Doorbell', 'IntEnable', 'Reserved']);
    expect(d.fields[2].value).toBe(0x20000000n);
  });

  it('decodes an access spanning two registers as both', () => {
    const d = decodeEvent(acc('ep0', 'cfg', 4, 'R', 0xaabbccddn, 4), layout, resolve);
    expect(d.register).toBe('Serial');
    const d2 = decodeEvent(acc('ep0', 'cfg', 0, 'R', 0x1_0000_8086n, 8), layout, resolve);
    expect(d2.register).toBe('ID + Serial');
    expect(d2.fields).toEqual([
      { name: 'Vendor', value: 0x8086n },
      { name: 'Device', value: 0n },
      { name: 'Serial', value: 1n },
    ]);
  });

  it('shows undeclared offsets as (unknown +0xNN)', () => {
    const d = decodeEvent(acc('ep0', 'bar2', 0x40, 'R', 0n), layout, resolve);
    expect(d.register).toBe('(unknown +0x40)');
    expect(d.text).toBe('ep0 · bar2 · (unknown +0x40)');
    expect(decodeEvent(acc('other', 'bar2', 0x84, 'R', 0n), layout, resolve).register).toBe('(unknown +0x84)');
  });

  it('shows old → new for a write when given the previous value', () => {
    const d = decodeEvent(acc('ep0', 'bar2', 0x84, 'W', 1n), new LayoutIndex(layout, resolve), resolve, 2n);
    expect(d.fields).toEqual([
      { name: 'Doorbell', value: 1n, old: 0n },
      { name: 'IntEnable', value: 0n, old: 1n },
    ]);
    expect(d.text).toBe('ep0 · Mailbox · Control · Doorbell=0→1, IntEnable=1→0');
  });

  it('DecodeContext remembers register values so writes decode old → new', () => {
    const ctx = new DecodeContext(layout, resolve);
    ctx.decode(acc('ep0', 'bar2', 0x84, 'R', 2n));
    expect(ctx.decode(acc('ep0', 'bar2', 0x84, 'W', 3n)).text).toBe('ep0 · Mailbox · Control · Doorbell=0→1, IntEnable=1');
    expect(ctx.decode(acc('ep0', 'bar2', 0x84, 'W', 0n)).text).toBe('ep0 · Mailbox · Control · Doorbell=1→0, IntEnable=1→0');
  });

  it('decodes mailbox and step events', () => {
    const m = decodeEvent(
      { kind: 'mailbox', seq: 0, timeNs: 0, node: 'ep0', opcode: 0x4000, name: 'Identify', returnCode: 0, returnName: 'Success', inputHex: '', outputHex: '' },
      layout,
      resolve,
    );
    expect(m.text).toBe('ep0 · mailbox · Identify (0x4000) · Success');
    const s = decodeEvent({ kind: 'step', seq: 1, timeNs: 0, sequence: 'probe', name: 'dvsec', verdict: 'fail', reason: 'no DVSEC' }, layout, resolve);
    expect(s.text).toBe('probe · dvsec · fail: no DVSEC');
  });
});
