import { describe, expect, it, vi } from 'vitest';
import { OP, RC } from '../../../emulator/mailbox/index.js';
import { uuidText } from '../../../emulator/mailbox/uuid.js';
import { EVENT_LOG_CAPACITY } from '../../../emulator/mailbox/state/event-logs.js';
import { makeDevice, payload, reader } from './helpers.js';

const getRecords = (d: ReturnType<typeof makeDevice>, log: number, payloadSize?: number) =>
  d.run(OP.getEventRecords, Uint8Array.of(log), payloadSize);

function clearInput(log: number, handles: number[], flags = 0): Uint8Array {
  const fields: [number, 1 | 2, number][] = [[0, 1, log], [1, 1, flags], [2, 1, handles.length]];
  handles.forEach((h, i) => fields.push([6 + 2 * i, 2, h]));
  return payload(6 + 2 * handles.length, fields);
}

describe('Get / Clear Event Records', () => {
  it('returns an injected General Media record with header and body fields', () => {
    const d = makeDevice();
    d.run(OP.setTimestamp, payload(8, [[0, 8, 1_700_000_000_000_000_000n]]));
    d.clock.advance(500);
    const handle = d.dev.inject.injectEvent('failure', 'general-media', { dpa: 0x1040, volatile: true, descriptor: 1, type: 2, transactionType: 1, channel: 3, rank: 4 });
    const { rc, output } = getRecords(d, 2);
    expect(rc).toBe(RC.success);
    const r = reader(output);
    expect(r.u8(0) & 1).toBe(0); // no overflow
    expect(r.u16(0x14)).toBe(1);
    expect(output.length).toBe(0x20 + 0x80);
    const rec = output.subarray(0x20);
    const rr = reader(rec);
    expect(uuidText(rec.subarray(0, 16))).toBe('fbcd0a77-c260-417f-85a9-088b1621eba6');
    expect(rr.u8(0x10)).toBe(0x80);
    expect(rr.u24(0x11) & 3).toBe(2); // failure severity
    expect(rr.u16(0x14)).toBe(handle);
    expect(handle).not.toBe(0);
    expect(rr.u64n(0x18)).toBe(1_700_000_000_000_000_500n);
    expect(rr.u64(0x30)).toBe(0x1041);
    expect([rr.u8(0x38), rr.u8(0x39), rr.u8(0x3a), rr.u8(0x3d), rr.u8(0x3e)]).toEqual([1, 2, 1, 3, 4]);
  });

  it('sets the Event Status bit of a log only while it holds records', () => {
    const d = makeDevice();
    expect(d.dev.eventStatus()).toBe(0);
    const h = d.dev.inject.injectEvent('warning', 'dram', { row: 5 });
    d.dev.inject.injectEvent('fatal', 'memory-module', { eventType: 3 });
    expect(d.dev.eventStatus()).toBe(0b1010);
    expect(d.run(OP.clearEventRecords, clearInput(1, [h])).rc).toBe(RC.success);
    expect(d.dev.eventStatus()).toBe(0b1000);
  });

  it('clears only by the oldest handles in order; anything else is Invalid Handle', () => {
    const d = makeDevice();
    const hs = [0, 1, 2].map(() => d.dev.inject.injectEvent('informational', 'general-media'));
    expect(d.run(OP.clearEventRecords, clearInput(0, [hs[1]])).rc).toBe(RC.invalidHandle);
    expect(d.run(OP.clearEventRecords, clearInput(0, [hs[1], hs[0]])).rc).toBe(RC.invalidHandle);
    expect(d.run(OP.clearEventRecords, clearInput(0, [0x7777])).rc).toBe(RC.invalidHandle);
    expect(reader(getRecords(d, 0).output).u16(0x14)).toBe(3);
    expect(d.run(OP.clearEventRecords, clearInput(0, [hs[0], hs[1]])).rc).toBe(RC.success);
    const left = getRecords(d, 0).output;
    expect(reader(left).u16(0x14)).toBe(1);
    expect(reader(left.subarray(0x20)).u16(0x14)).toBe(hs[2]);
  });

  it('counts overflow with timestamps once a log is full, and Clear All empties it', () => {
    const d = makeDevice();
    d.run(OP.setTimestamp, payload(8, [[0, 8, 1000]]));
    for (let i = 0; i < EVENT_LOG_CAPACITY; i++) d.dev.inject.injectEvent('warning', 'dram');
    d.clock.advance(10);
    expect(d.dev.inject.injectEvent('warning', 'dram')).toBe(0);
    d.clock.advance(10);
    d.dev.inject.injectEvent('warning', 'dram');
    const r = reader(getRecords(d, 1).output);
    expect(r.u8(0) & 1).toBe(1);
    expect(r.u16(2)).toBe(2);
    expect(r.u64(4)).toBe(1010);
    expect(r.u64(0x0c)).toBe(1020);
    // Clear All with handles is Invalid Input; without handles it empties the log and the overflow state.
    expect(d.run(OP.clearEventRecords, clearInput(1, [1], 1)).rc).toBe(RC.invalidInput);
    expect(d.run(OP.clearEventRecords, clearInput(1, [], 1)).rc).toBe(RC.success);
    const after = reader(getRecords(d, 1).output);
    expect(after.u8(0)).toBe(0);
    expect(after.u16(0x14)).toBe(0);
  });

  it('Clear All is Invalid Input while the log has not overflowed', () => {
    const d = makeDevice();
    d.dev.inject.injectEvent('warning', 'dram');
    expect(d.run(OP.clearEventRecords, clearInput(1, [], 1)).rc).toBe(RC.invalidInput);
    expect(reader(getRecords(d, 1).output).u16(0x14)).toBe(1);
  });

  it('returns only what fits in the payload and sets More Event Records', () => {
    const d = makeDevice();
    for (let i = 0; i < 3; i++) d.dev.inject.injectEvent('informational', 'general-media');
    const out = getRecords(d, 0, 256).output; // 0x20 header + one 0x80 record fit
    expect(reader(out).u16(0x14)).toBe(1);
    expect(reader(out).u8(0) & 2).toBe(2);
    expect(out.length).toBeLessThanOrEqual(256);
    expect(reader(getRecords(d, 0).output).u8(0) & 2).toBe(0);
  });

  it('rejects an unknown log with Invalid Input and a wrong length with Invalid Payload Length', () => {
    const d = makeDevice();
    expect(getRecords(d, 5).rc).toBe(RC.invalidInput);
    expect(d.run(OP.getEventRecords, new Uint8Array(0)).rc).toBe(RC.invalidPayloadLength);
    expect(d.run(OP.getEventRecords, new Uint8Array(2)).rc).toBe(RC.invalidPayloadLength);
    expect(d.run(OP.clearEventRecords, new Uint8Array(5)).rc).toBe(RC.invalidPayloadLength);
    // Number of handles says 2, payload carries 1.
    expect(d.run(OP.clearEventRecords, payload(8, [[0, 1, 0], [2, 1, 2]])).rc).toBe(RC.invalidPayloadLength);
  });

  it('embeds the current health info in Memory Module records', () => {
    const d = makeDevice();
    d.dev.inject.setHealth({ lifeUsed: 42, temperature: -3 });
    d.dev.inject.injectEvent('informational', 'memory-module', { eventType: 2 });
    const rec = reader(getRecords(d, 0).output.subarray(0x20));
    expect(rec.u8(0x30)).toBe(2);
    expect(rec.u8(0x31 + 3)).toBe(42);
    expect(rec.s16(0x31 + 4)).toBe(-3);
  });
});

describe('Event Interrupt Policy', () => {
  it('reads back the modes written, five logs', () => {
    const d = makeDevice();
    expect(d.run(OP.getEventInterruptPolicy).output).toEqual(new Uint8Array(5));
    expect(d.run(OP.setEventInterruptPolicy, Uint8Array.of(1, 2, 0, 1)).rc).toBe(RC.success);
    expect([...d.run(OP.getEventInterruptPolicy).output]).toEqual([1, 2, 0, 1, 0]);
    expect(d.run(OP.setEventInterruptPolicy, Uint8Array.of(1, 1, 1, 1, 1)).rc).toBe(RC.success);
    expect([...d.run(OP.getEventInterruptPolicy).output]).toEqual([1, 1, 1, 1, 1]);
  });

  it('rejects the reserved mode 3 and lengths other than 4 or 5', () => {
    const d = makeDevice();
    expect(d.run(OP.setEventInterruptPolicy, Uint8Array.of(3, 0, 0, 0)).rc).toBe(RC.invalidInput);
    expect(d.run(OP.setEventInterruptPolicy, Uint8Array.of(1, 1, 1)).rc).toBe(RC.invalidPayloadLength);
    expect(d.run(OP.setEventInterruptPolicy, new Uint8Array(6)).rc).toBe(RC.invalidPayloadLength);
  });

  it('notifies the register model when a log goes from empty to non-empty', () => {
    const d = makeDevice();
    const eventLogged = vi.fn();
    d.dev.setNotifier({ eventLogged });
    d.run(OP.setEventInterruptPolicy, Uint8Array.of(0, 0, 1, 0));
    d.dev.inject.injectEvent('failure', 'dram');
    d.dev.inject.injectEvent('failure', 'dram');
    expect(eventLogged).toHaveBeenCalledTimes(1);
    expect(eventLogged).toHaveBeenCalledWith(2, 1);
  });
});
