import { describe, expect, it } from 'vitest';
import { OP, RC } from '../../../emulator/mailbox/index.js';
import { makeDevice, payload, reader } from './helpers.js';

function setAlert(valid: number, enable: number, v: { life?: number; over?: number; under?: number; cve?: number; cpe?: number }) {
  return payload(12, [
    [0, 1, valid],
    [1, 1, enable],
    [2, 1, v.life ?? 0],
    [4, 2, (v.over ?? 0) & 0xffff],
    [6, 2, (v.under ?? 0) & 0xffff],
    [8, 2, v.cve ?? 0],
    [10, 2, v.cpe ?? 0],
  ]);
}

describe('Get Health Info', () => {
  it('reports the device health field by field', () => {
    const d = makeDevice();
    d.dev.inject.setHealth({ healthStatus: 0b0010, lifeUsed: 17, temperature: -4 });
    d.dev.inject.injectCorrectedVolatileErrors(7);
    d.dev.inject.injectCorrectedPersistentErrors(9);
    const { rc, output } = d.run(OP.getHealthInfo);
    expect(rc).toBe(RC.success);
    expect(output.length).toBe(0x12);
    const r = reader(output);
    expect(r.u8(0)).toBe(0b0010);
    expect(r.u8(1)).toBe(0); // normal
    expect(r.u8(2)).toBe(0);
    expect(r.u8(3)).toBe(17);
    expect(r.s16(4)).toBe(-4);
    expect(r.u32(6)).toBe(0);
    expect(r.u32(0x0a)).toBe(7);
    expect(r.u32(0x0e)).toBe(9);
  });

  it('derives Media Status from the media state and flags enabled warnings in Additional Status', () => {
    const d = makeDevice();
    d.dev.inject.setMediaState('not-ready');
    expect(reader(d.run(OP.getHealthInfo).output).u8(1)).toBe(1);
    d.dev.inject.setMediaState('ready');
    d.run(OP.setAlertConfiguration, setAlert(0b01001, 0b01001, { life: 10, cve: 5 }));
    d.dev.inject.setHealth({ lifeUsed: 12 });
    d.dev.inject.injectCorrectedVolatileErrors(5);
    const add = reader(d.run(OP.getHealthInfo).output).u8(2);
    expect(add & 3).toBe(1); // life used warning
    expect((add >> 4) & 1).toBe(1); // corrected volatile warning
    expect((add >> 5) & 1).toBe(0);
    d.dev.inject.setHealth({ temperature: 90 });
    expect((reader(d.run(OP.getHealthInfo).output).u8(2) >> 2) & 3).toBe(2); // over critical
  });

  it('counts a dirty shutdown across a cold reset', () => {
    const d = makeDevice();
    expect(d.run(OP.setShutdownState, Uint8Array.of(1)).rc).toBe(RC.success);
    expect(d.run(OP.getShutdownState).output[0]).toBe(1);
    d.dev.reset('cold');
    expect(reader(d.run(OP.getHealthInfo).output).u32(6)).toBe(1);
    d.run(OP.setShutdownState, Uint8Array.of(0));
    d.dev.reset('cold');
    expect(reader(d.run(OP.getHealthInfo).output).u32(6)).toBe(1);
    expect(d.run(OP.setShutdownState, Uint8Array.of(2)).rc).toBe(RC.invalidInput);
    expect(d.run(OP.setShutdownState, new Uint8Array(0)).rc).toBe(RC.invalidPayloadLength);
  });
});

describe('Get / Set Alert Configuration', () => {
  it('reads defaults, then the thresholds and enables written', () => {
    const d = makeDevice();
    let r = reader(d.run(OP.getAlertConfiguration).output);
    expect(r.u8(0)).toBe(0);
    expect(r.u8(1)).toBe(0x1f);
    const lifeCritical = r.u8(2);
    const overCritical = r.s16(4);
    const underCritical = r.s16(6);
    expect(d.run(OP.setAlertConfiguration, setAlert(0b00111, 0b00101, { life: lifeCritical - 1, over: 0, under: underCritical + 1 })).rc).toBe(RC.success);
    r = reader(d.run(OP.getAlertConfiguration).output);
    expect(r.u8(0)).toBe(0b00101);
    expect(r.u8(3)).toBe(lifeCritical - 1);
    expect(r.s16(6)).toBe(underCritical);
    expect(r.s16(0x0a)).toBe(underCritical + 1);
    expect(r.s16(4)).toBe(overCritical);
  });

  it('rejects warning thresholds at or past critical, and reserved alert bits', () => {
    const d = makeDevice();
    const r = reader(d.run(OP.getAlertConfiguration).output);
    expect(d.run(OP.setAlertConfiguration, setAlert(1, 1, { life: r.u8(2) })).rc).toBe(RC.invalidInput);
    expect(d.run(OP.setAlertConfiguration, setAlert(2, 2, { over: r.s16(4) })).rc).toBe(RC.invalidInput);
    expect(d.run(OP.setAlertConfiguration, setAlert(4, 4, { under: r.s16(6) })).rc).toBe(RC.invalidInput);
    expect(d.run(OP.setAlertConfiguration, setAlert(0x20, 0, {})).rc).toBe(RC.invalidInput);
    expect(d.run(OP.setAlertConfiguration, new Uint8Array(11)).rc).toBe(RC.invalidPayloadLength);
  });
});

describe('Alerts raise events', () => {
  it('crossing an enabled warning threshold logs one Memory Module record in the Warning log', () => {
    const d = makeDevice();
    d.run(OP.setAlertConfiguration, setAlert(0b01000, 0b01000, { cve: 10 }));
    d.dev.inject.injectCorrectedVolatileErrors(9);
    expect(d.dev.eventStatus()).toBe(0);
    d.dev.inject.injectCorrectedVolatileErrors(1);
    expect(d.dev.eventStatus()).toBe(0b10);
    d.dev.inject.injectCorrectedVolatileErrors(5);
    const out = d.run(OP.getEventRecords, Uint8Array.of(1)).output;
    expect(reader(out).u16(0x14)).toBe(1);
    expect(out[0x20 + 0x30]).toBe(0); // health status change
    expect(reader(out.subarray(0x20 + 0x31)).u32(0x0a)).toBe(10);
  });

  it('a disabled alert raises nothing below critical', () => {
    const d = makeDevice();
    d.dev.inject.injectCorrectedVolatileErrors(1000);
    d.dev.inject.setHealth({ temperature: 75 });
    expect(d.dev.eventStatus()).toBe(0);
    d.dev.inject.setHealth({ temperature: 95 }); // critical is always reported
    expect(d.dev.eventStatus()).toBe(0b10);
  });
});
