import { describe, expect, it } from 'vitest';
import { EFFECT, OP, RC } from '../../../emulator/mailbox/index.js';
import { parseCel } from '../../../emulator/mailbox/cel.js';
import { LOG_UUID, uuidBytes, uuidText } from '../../../emulator/mailbox/uuid.js';
import { makeDevice, payload, reader } from './helpers.js';

function getLogInput(uuid: string, offset: number, length: number): Uint8Array {
  const p = payload(0x18, [[0x10, 4, offset], [0x14, 4, length]]);
  p.set(uuidBytes(uuid), 0);
  return p;
}

describe('Get Supported Logs / Get Log (CEL)', () => {
  it('lists the CEL with its size', () => {
    const d = makeDevice();
    const { rc, output } = d.run(OP.getSupportedLogs);
    expect(rc).toBe(RC.success);
    expect(reader(output).u16(0)).toBe(1);
    expect(uuidText(output.subarray(8, 24))).toBe(LOG_UUID.cel);
    expect(reader(output).u32(24)).toBe(4 * d.dev.commands.length);
  });

  it('CEL lists exactly the implemented commands, ascending, with their effects', () => {
    const d = makeDevice();
    const size = 4 * d.dev.commands.length;
    const { rc, output } = d.run(OP.getLog, getLogInput(LOG_UUID.cel, 0, size));
    expect(rc).toBe(RC.success);
    const cel = parseCel(output);
    // Every opcode in the CEL answers something other than Unsupported, and the CEL holds every opcode that does.
    const answering: number[] = [];
    for (const op of [0x0005, ...range(0x0100, 0x0106), ...range(0x0200, 0x0203), 0x0300, 0x0301, ...range(0x0400, 0x0406), ...range(0x0500, 0x0503), 0x4000, ...range(0x4100, 0x4105), ...range(0x4200, 0x4206), ...range(0x4300, 0x4307), ...range(0x4400, 0x4403), ...range(0x4500, 0x4507), 0x4600, 0x4800]) {
      if (d.run(op, new Uint8Array(0)).rc !== RC.unsupported) answering.push(op);
    }
    expect(cel.map((e) => e.opcode)).toEqual(answering);
    const effectsOf = (op: number) => cel.find((e) => e.opcode === op)?.effects ?? -1;
    expect(effectsOf(OP.sanitize) & EFFECT.backgroundOperation).toBeTruthy();
    expect(effectsOf(OP.scanMedia) & EFFECT.backgroundOperation).toBeTruthy();
    expect(effectsOf(OP.secureErase) & EFFECT.backgroundOperation).toBeTruthy();
    expect(effectsOf(OP.setPartitionInfo) & EFFECT.configChangeColdReset).toBeTruthy();
    expect(effectsOf(OP.setPassphrase) & EFFECT.securityStateChange).toBeTruthy();
    expect(effectsOf(OP.identifyMemoryDevice)).toBe(0);
    for (const e of cel) if (!(e.effects & EFFECT.backgroundOperation)) expect(e.effects & EFFECT.abortSupported).toBe(0);
  });

  it('reads the CEL piecewise at an offset', () => {
    const d = makeDevice();
    const whole = d.run(OP.getLog, getLogInput(LOG_UUID.cel, 0, d.dev.cel.length)).output;
    const part = d.run(OP.getLog, getLogInput(LOG_UUID.cel, 8, 12)).output;
    expect(part).toEqual(whole.subarray(8, 20));
  });

  it('rejects reads past the log or payload with Invalid Input and unknown logs with Invalid Log', () => {
    const d = makeDevice();
    const size = d.dev.cel.length;
    expect(d.run(OP.getLog, getLogInput(LOG_UUID.cel, size - 4, 8)).rc).toBe(RC.invalidInput);
    expect(d.run(OP.getLog, getLogInput(LOG_UUID.cel, 0, size), 64).rc).toBe(RC.invalidInput);
    expect(d.run(OP.getLog, getLogInput(LOG_UUID.vendorDebug, 0, 4)).rc).toBe(RC.invalidLog);
    expect(d.run(OP.getLog, new Uint8Array(0x17)).rc).toBe(RC.invalidPayloadLength);
  });
});

function range(a: number, b: number): number[] {
  return Array.from({ length: b - a }, (_, i) => a + i);
}

describe('Timestamp', () => {
  it('reads 0 until set, then runs with the virtual clock', () => {
    const d = makeDevice();
    expect(reader(d.run(OP.getTimestamp).output).u64n(0)).toBe(0n);
    expect(d.run(OP.setTimestamp, payload(8, [[0, 8, 1_000_000_000_000n]])).rc).toBe(RC.success);
    d.clock.advance(2_500);
    expect(reader(d.run(OP.getTimestamp).output).u64n(0)).toBe(1_000_000_002_500n);
  });

  it('rejects a short Set Timestamp', () => {
    expect(makeDevice().run(OP.setTimestamp, new Uint8Array(4)).rc).toBe(RC.invalidPayloadLength);
  });
});

function transfer(action: number, slot: number, offsetUnits: number, data: Uint8Array): Uint8Array {
  const p = payload(0x80 + data.length, [[0, 1, action], [1, 1, slot], [4, 4, offsetUnits]]);
  p.set(data, 0x80);
  return p;
}
const image = (text: string, size = 256) => {
  const b = new Uint8Array(size);
  b.set(new TextEncoder().encode(text));
  return b;
};

describe('Firmware update', () => {
  it('Get FW Info reports two slots, slot 1 active, online activation', () => {
    const out = makeDevice().run(OP.getFwInfo).output;
    const r = reader(out);
    expect(out.length).toBe(0x50);
    expect(r.u8(0)).toBe(2);
    expect(r.u8(1) & 7).toBe(1);
    expect((r.u8(1) >> 3) & 7).toBe(0);
    expect(r.u8(2) & 1).toBe(1);
    expect(new TextDecoder().decode(out.subarray(0x10, 0x1f))).toBe('CXLBENCH FW 1.0');
  });

  it('full transfer to slot 2 then online activation makes slot 2 active', () => {
    const d = makeDevice();
    expect(d.run(OP.transferFw, transfer(0, 2, 0, image('NEWFW 2.0'))).rc).toBe(RC.success);
    expect(d.run(OP.activateFw, Uint8Array.of(0, 2)).rc).toBe(RC.success);
    const out = d.run(OP.getFwInfo).output;
    expect(out[1] & 7).toBe(2);
    expect(new TextDecoder().decode(out.subarray(0x20, 0x29))).toBe('NEWFW 2.0');
  });

  it('multi-part transfer checks order and offsets; activation on reset stages the slot', () => {
    const d = makeDevice();
    const img = image('PARTS 3.0', 512);
    expect(d.run(OP.transferFw, transfer(2, 2, 0, img.subarray(0, 128))).rc).toBe(RC.fwTransferOutOfOrder);
    expect(d.run(OP.transferFw, transfer(1, 2, 0, img.subarray(0, 256))).rc).toBe(RC.success);
    expect(d.run(OP.transferFw, transfer(1, 2, 0, img.subarray(0, 256))).rc).toBe(RC.fwTransferInProgress);
    expect(d.run(OP.transferFw, transfer(2, 2, 1, img.subarray(256, 384))).rc).toBe(RC.fwTransferOutOfOrder);
    expect(d.run(OP.transferFw, transfer(2, 2, 2, img.subarray(256, 384))).rc).toBe(RC.success);
    expect(d.run(OP.transferFw, transfer(3, 2, 3, img.subarray(384))).rc).toBe(RC.success);
    expect(d.run(OP.activateFw, Uint8Array.of(1, 2)).rc).toBe(RC.success);
    expect((d.run(OP.getFwInfo).output[1] >> 3) & 7).toBe(2);
    d.dev.reset('cold');
    expect(d.run(OP.getFwInfo).output[1]).toBe(2);
  });

  it('rejects the active slot, slots out of range, empty packages and empty-slot activation', () => {
    const d = makeDevice();
    expect(d.run(OP.transferFw, transfer(0, 1, 0, image('X'))).rc).toBe(RC.invalidSlot);
    expect(d.run(OP.transferFw, transfer(0, 3, 0, image('X'))).rc).toBe(RC.invalidSlot);
    expect(d.run(OP.transferFw, transfer(0, 2, 0, new Uint8Array(0))).rc).toBe(RC.fwVerificationFailed);
    expect(d.run(OP.activateFw, Uint8Array.of(0, 2)).rc).toBe(RC.invalidSlot);
    expect(d.run(OP.activateFw, Uint8Array.of(0, 1)).rc).toBe(RC.invalidSlot);
    expect(d.run(OP.activateFw, Uint8Array.of(2, 2)).rc).toBe(RC.invalidInput);
    expect(d.run(OP.transferFw, new Uint8Array(0x7f)).rc).toBe(RC.invalidPayloadLength);
  });
});
