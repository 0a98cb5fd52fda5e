// Issue 15, finding 16: mailbox input forms from the payload declarations — fields at their offsets, enums by
// name, validation that names the field — and what mailbox.commands serves.
import { describe, expect, it } from 'vitest';
import { mailboxForm } from '../../main/live/mailbox-forms.js';
import { mailboxCommandInfos } from '../../main/live/mailbox-commands.js';
import { decodeForm, encodeForm } from '../../renderer/src/lib/mailbox-form.js';
import { GetPoisonListIn } from '../../emulator/mailbox/payloads.js';

const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');

describe('mailbox forms', () => {
  it('Get Poison List: DPA and length at the declared offsets, little-endian; equal to the emulator encoding', () => {
    const form = mailboxForm(0x4300)!;
    expect(form.fields.map((f) => [f.name, f.offset, f.bytes])).toEqual([['address', 0, 8], ['length', 8, 8]]);
    const r = encodeForm(form, { address: '0x1000', length: '2' });
    expect(r.ok).toBe(true);
    expect(hex(r.bytes)).toBe(hex(GetPoisonListIn.encode({ address: 0x1000, length: 2 })));
    expect(decodeForm(form, r.bytes)).toEqual({ address: '0x1000', length: '0x2' });
  });

  it('validation names the field: alignment, size, enums by name', () => {
    const poison = mailboxForm(0x4300)!;
    expect(encodeForm(poison, { address: '0x1001' }).errors.address).toBe('DPA: must be a multiple of 64');
    expect(encodeForm(poison, { address: 'lots' }).errors.address).toMatch(/must be a number/);
    const events = mailboxForm(0x0100)!;
    expect(events.fields[0]!.values).toEqual({ 0: 'informational', 1: 'warning', 2: 'failure', 3: 'fatal' });
    expect(encodeForm(events, { log: '2' }).bytes).toEqual(new Uint8Array([2]));
    expect(encodeForm(events, { log: '9' }).errors.log).toMatch(/must be one of informational \(0\)/);
    expect(encodeForm(events, { log: '256' }).errors.log).toMatch(/at most 255/);
  });

  it('mailbox.commands carries forms for declared inputs only', () => {
    const infos = mailboxCommandInfos();
    expect(infos.find((c) => c.opcode === 0x4300)?.form?.size).toBe(0x10);
    expect(infos.find((c) => c.opcode === 0x4000)?.form).toBeUndefined(); // Identify takes no input
  });
});

describe('decoded outputs show enums by name', () => {
  it('a poison record source and a health media status read by name', async () => {
    const { flattenDecoded } = await import('../../renderer/src/lib/decoded-fields.js');
    const rows = flattenDecoded({ records: [{ dpa: 4096, source: 2, length64: 1 }], mediaStatus: 0 });
    expect(rows.find((r) => r.name === 'records.0.source')?.value).toBe('internal (2)');
    expect(rows.find((r) => r.name === 'mediaStatus')?.value).toBe('normal (0)');
    expect(rows.find((r) => r.name === 'records.0.dpa')?.value).toBe('4096 (0x1000)');
  });
});
