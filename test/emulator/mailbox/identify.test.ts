import { describe, expect, it } from 'vitest';
import { OP, RC } from '../../../emulator/mailbox/index.js';
import { makeDevice, MiB, payload, reader } from './helpers.js';

describe('Identify Memory Device', () => {
  it('reports capacities in 256 MiB units, LSA size, log sizes and poison limits field by field', () => {
    const { run } = makeDevice({ volatileBytes: 512 * MiB, persistentBytes: 256 * MiB, partitionableBytes: 1024 * MiB, lsaBytes: 4096 });
    const { rc, output } = run(OP.identifyMemoryDevice);
    expect(rc).toBe(RC.success);
    expect(output.length).toBe(0x45);
    const r = reader(output);
    expect(new TextDecoder().decode(output.subarray(0, 15))).toBe('CXLBENCH FW 1.0');
    expect(r.u64(0x10)).toBe(7); // 512 + 256 + 1024 MiB
    expect(r.u64(0x18)).toBe(2);
    expect(r.u64(0x20)).toBe(1);
    expect(r.u64(0x28)).toBe(1); // partition alignment
    for (const o of [0x30, 0x32, 0x34, 0x36]) expect(r.u16(o)).toBeGreaterThan(0);
    expect(r.u32(0x38)).toBe(4096);
    expect(r.u24(0x3c)).toBe(256);
    expect(r.u16(0x3f)).toBeGreaterThan(0);
    expect(r.u8(0x41) & 0b10).toBe(0b10); // scans for poison
  });

  it('reports partition alignment 0 when nothing is partitionable', () => {
    const { run } = makeDevice({ partitionableBytes: 0 });
    expect(reader(run(OP.identifyMemoryDevice).output).u64(0x28)).toBe(0);
  });

  it('rejects any input payload with Invalid Payload Length', () => {
    const { run } = makeDevice();
    expect(run(OP.identifyMemoryDevice, payload(1)).rc).toBe(RC.invalidPayloadLength);
  });

  it('answers an unknown opcode with Unsupported', () => {
    const { run } = makeDevice();
    expect(run(0x4206).rc).toBe(RC.unsupported);
    expect(run(0xc000).rc).toBe(RC.unsupported);
  });
});
