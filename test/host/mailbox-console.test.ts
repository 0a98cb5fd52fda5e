import { describe, expect, it } from 'vitest';
import { parseOpcode, sendMailboxCommand } from '../../host/mailbox-console.js';
import { realDevice } from './real-device.js';

describe('sendMailboxCommand', () => {
  it('sends Identify Memory Device by hex opcode and decodes the answer', async () => {
    const { target } = realDevice();
    const r = await sendMailboxCommand(target, '4000');
    expect(r.ok).toBe(true);
    expect(r.returnName).toBe('Success');
    expect((r.decoded as { volatileOnlyBytes: number }).volatileOnlyBytes).toBe(256 * 2 ** 20);
  });

  it('passes a hex payload (Get LSA offset 0 length 16) and returns the output hex', async () => {
    const { target } = realDevice();
    const r = await sendMailboxCommand(target, 0x4102, '00000000 10000000');
    expect(r.returnCode).toBe(0);
    expect(r.outputHex).toHaveLength(32);
  });

  it('reports device return codes as values', async () => {
    const { target } = realDevice();
    const r = await sendMailboxCommand(target, '0x4102', '00');
    expect(r.ok).toBe(false);
    expect([2, 0x16]).toContain(r.returnCode);
  });

  it('rejects malformed opcode and payload text without touching the device', async () => {
    const { target } = realDevice();
    expect((await sendMailboxCommand(target, 'zz')).error).toContain('not an opcode');
    expect((await sendMailboxCommand(target, '4000', 'abc')).error).toContain('not hex');
  });

  it('parses opcodes in the forms the CLI accepts', () => {
    expect(parseOpcode('4000h')).toBe(0x4000);
    expect(parseOpcode('0x0401')).toBe(0x401);
    expect(parseOpcode('identifyMemdev')).toBe(0x4000);
    expect(parseOpcode('12345')).toBeNull();
  });
});
