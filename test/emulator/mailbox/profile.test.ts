import { describe, expect, it } from 'vitest';
import { OP, RC } from '../../../emulator/mailbox/index.js';
import { parseCel } from '../../../emulator/mailbox/cel.js';
import { makeDevice, payload, reader } from './helpers.js';

describe("'qemu' profile", () => {
  it('drops the commands QEMU lacks from dispatch and from the CEL', () => {
    const spec = makeDevice();
    const qemu = makeDevice({ profile: 'qemu' });
    for (const op of [OP.getHealthInfo, OP.setPartitionInfo, OP.secureErase, OP.setPassphrase, OP.getShutdownState]) {
      expect(qemu.run(op, new Uint8Array(0)).rc).toBe(RC.unsupported);
      expect(spec.run(op, new Uint8Array(0)).rc).not.toBe(RC.unsupported);
      expect(parseCel(qemu.dev.cel).some((e) => e.opcode === op)).toBe(false);
    }
    expect(parseCel(qemu.dev.cel).length).toBe(parseCel(spec.dev.cel).length - 10);
  });

  it('answers Identify and Get FW Info with QEMU values', () => {
    const d = makeDevice({ profile: 'qemu' });
    const id = d.run(OP.identifyMemoryDevice).output;
    expect(new TextDecoder().decode(id.subarray(0, 16))).toBe('BWFW VERSION 00\0'); // QEMU: "BWFW VERSION %02d"
    expect(reader(id).u16(0x30)).toBe(0);
    expect(reader(id).u16(0x3f)).toBe(0);
    expect(reader(id).u16(0x43)).toBe(8);
    const fw = d.run(OP.getFwInfo).output;
    expect(new TextDecoder().decode(fw.subarray(0x20, 0x2e))).toBe('BWFW VERSION 1');
  });

  it('reports a bad Clear Event Records handle as Invalid Input, as QEMU does', () => {
    const d = makeDevice({ profile: 'qemu' });
    d.dev.inject.injectEvent('informational', 'dram');
    expect(d.run(OP.clearEventRecords, payload(8, [[2, 1, 1], [6, 2, 0x99]])).rc).toBe(RC.invalidInput);
  });

  it('with media disabled, refuses exactly QEMU\'s list (Get Event Records, Get Partition Info, Get Log too); the spec profile lets those through', () => {
    const qemu = makeDevice({ profile: 'qemu' });
    const spec = makeDevice();
    qemu.dev.inject.setMediaState('disabled');
    spec.dev.inject.setMediaState('disabled');
    const getLog = payload(0x18);
    for (const [op, input] of [[OP.getEventRecords, payload(1)], [OP.getPartitionInfo, payload(0)], [OP.getLog, getLog]] as const) {
      expect(qemu.run(op, input).rc, `qemu 0x${op.toString(16)}`).toBe(RC.mediaDisabled);
      expect(spec.run(op, input).rc, `spec 0x${op.toString(16)}`).not.toBe(RC.mediaDisabled);
    }
    // Not on QEMU's list: Get Scan Media Capabilities runs (the spec profile refuses it: it needs the media).
    expect(qemu.run(OP.getScanMediaCapabilities, payload(0x10, [[8, 8, 1]])).rc).toBe(RC.success);
    expect(spec.run(OP.getScanMediaCapabilities, payload(0x10, [[8, 8, 1]])).rc).toBe(RC.mediaDisabled);
  });

  it('Get Event Interrupt Policy reports QEMU\'s vectors 2-5 (DC shares Info\'s) for enabled logs; the spec profile reports 0', () => {
    const qemu = makeDevice({ profile: 'qemu' });
    expect(qemu.run(OP.setEventInterruptPolicy, payload(5, [[0, 1, 1], [1, 1, 1], [2, 1, 1], [3, 1, 1], [4, 1, 1]])).rc).toBe(RC.success);
    expect([...qemu.run(OP.getEventInterruptPolicy).output]).toEqual([0x21, 0x31, 0x41, 0x51, 0x21]);
    expect(qemu.run(OP.setEventInterruptPolicy, payload(4)).rc).toBe(RC.success);
    expect([...qemu.run(OP.getEventInterruptPolicy).output].slice(0, 4)).toEqual([0, 0, 0, 0]);
    const spec = makeDevice();
    spec.run(OP.setEventInterruptPolicy, payload(4, [[0, 1, 1], [1, 1, 1], [2, 1, 1], [3, 1, 1]]));
    expect([...spec.run(OP.getEventInterruptPolicy).output].slice(0, 4)).toEqual([1, 1, 1, 1]);
  });
});
