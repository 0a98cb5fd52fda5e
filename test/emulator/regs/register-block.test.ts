import { describe, expect, it } from 'vitest';
import {
  bit,
  block,
  CACHEMEM_RULES,
  CFG_RULES,
  DEVICE_RULES,
  field,
  reg,
  RegisterBlock,
  RegisterSpace,
  rsvdP,
  STATUS_BAD_ACCESS,
  STATUS_OK,
  STATUS_UNCLAIMED,
} from '../../../emulator/regs/index.js';

const decl = block('test-block', 'Test', 0x20, [
  reg('Control', 0x0, 4, [
    bit('Enable', 0, 'RW', 'enable'),
    bit('Lock', 1, 'RWO', 'lock once'),
    field('Mode', [7, 4], 'RO', 'mode', 0xa),
    field('Base', [31, 28], 'RWL', 'base'),
    rsvdP(27, 8),
  ]),
  reg('Status', 0x4, 4, [bit('Err', 0, 'RW1C', 'error', 1), bit('StickyErr', 1, 'RW1CS', 'sticky error', 1), field('Scratch', [15, 8], 'RWS', 'sticky rw')]),
  reg('Wide', 0x8, 8, [field('Value', [63, 0], 'RW', 'a 64-bit value')]),
]);

describe('RegisterBlock', () => {
  it('reset values come from the declaration and reserved bits read zero', () => {
    const b = new RegisterBlock(decl, DEVICE_RULES);
    expect(b.read(0, 4)).toBe(0xa0);
    expect(b.read(4, 4)).toBe(0x3);
    b.write(0, 4, 0xffff_ffff);
    expect((b.read(0, 4) & 0x0fff_ff00) >>> 0).toBe(0);
    expect(b.read(0x10, 4)).toBe(0); // undeclared bytes
    b.write(0x10, 4, 0xffff_ffff);
    expect(b.read(0x10, 4)).toBe(0);
  });

  it('write mask keeps RO bits and takes RW bits', () => {
    const b = new RegisterBlock(decl, DEVICE_RULES);
    b.write(0, 4, 0x0000_0001);
    expect(b.read(0, 4) & 0xf1).toBe(0xa1);
    b.write(0, 1, 0x50);
    expect((b.read(0, 4) >> 4) & 0xf).toBe(0xa);
  });

  it('RW1C clears only the bits written as 1', () => {
    const b = new RegisterBlock(decl, DEVICE_RULES);
    b.write(4, 4, 0x2);
    expect(b.read(4, 4) & 3).toBe(1);
    b.write(4, 4, 0x1);
    expect(b.read(4, 4) & 3).toBe(0);
  });

  it('RWO: writing 1 locks the field until reset; writing 0 first does not use up the write', () => {
    const b = new RegisterBlock(decl, DEVICE_RULES);
    b.write(0, 4, 0x0);
    b.write(0, 4, 0x0);
    b.write(0, 4, 0x2);
    expect(b.read(0, 4) & 2).toBe(2);
    b.write(0, 4, 0x0);
    expect(b.read(0, 4) & 2).toBe(2);
    b.reset('cold');
    expect(b.read(0, 4) & 2).toBe(0);
    b.write(0, 1, 0x2);
    expect(b.read(0, 4) & 2).toBe(2);
    b.reset('warm'); // RWO is not sticky: any reset clears and re-arms it
    expect(b.read(0, 4) & 2).toBe(0);
    b.write(0, 4, 0x2);
    expect(b.read(0, 4) & 2).toBe(2);
  });

  it('RWO locks per field: a locked RWO bit leaves its RWO and RW neighbours in the same byte writable', () => {
    const two = block('two-once', 'Two RWO fields', 4, [
      reg('Locks', 0, 4, [bit('A', 0, 'RWO', 'lock A'), bit('B', 1, 'RWO', 'lock B'), bit('C', 2, 'RW', 'plain')]),
    ]);
    const b = new RegisterBlock(two, DEVICE_RULES);
    b.write(0, 4, 0b001);
    expect(b.writableAt(0) & 0b111).toBe(0b110);
    b.write(0, 4, 0b110);
    expect(b.read(0, 4) & 0b111).toBe(0b111); // A stays 1 (locked), B and C take the write
    b.write(0, 4, 0b000);
    expect(b.read(0, 4) & 0b111).toBe(0b011); // only C still writable
  });

  it('RWL bits are writable until locked, then read-only, and unlock on reset', () => {
    const b = new RegisterBlock(decl, DEVICE_RULES);
    b.write(0, 4, 0x3000_0000);
    b.lock(true);
    b.write(0, 4, 0xc000_0001);
    expect(b.read(0, 4) >>> 28).toBe(3);
    expect(b.read(0, 4) & 1).toBe(1); // RW bit next to it still writable
    b.reset('warm');
    b.write(0, 4, 0xc000_0000);
    expect(b.read(0, 4) >>> 28).toBe(0xc);
  });

  it('warm reset keeps sticky bits, cold reset restores them', () => {
    const b = new RegisterBlock(decl, DEVICE_RULES);
    b.write(4, 4, 0x0000_5503); // clear both errors, scratch = 0x55
    b.reset('warm');
    expect(b.read(4, 4)).toBe(0x5501); // RW1C (non-sticky) back to reset 1, RW1CS stays cleared, RWS kept
    b.reset('cold');
    expect(b.read(4, 4)).toBe(0x0003);
  });

  it('64-bit registers read and write whole on blocks that allow 8-byte access', () => {
    const b = new RegisterBlock(decl, DEVICE_RULES);
    b.write64(8, 0x1234_5678_9abc_def0n);
    expect(b.read64(8)).toBe(0x1234_5678_9abc_def0n);
    expect(b.read(0xc, 4)).toBe(0x1234_5678);
    expect(b.lastOk).toBe(true);
  });

  it('cache/mem rules reject 8-byte, sub-dword and misaligned accesses: reads 0, writes dropped', () => {
    const b = new RegisterBlock(decl, CACHEMEM_RULES);
    b.write64(8, 0xffn);
    expect(b.lastOk).toBe(false);
    expect(b.read64(8)).toBe(0n);
    expect(b.lastOk).toBe(false);
    expect(b.read(0, 2)).toBe(0);
    expect(b.lastOk).toBe(false);
    b.write(2, 4, 0xffff_ffff);
    expect(b.lastOk).toBe(false);
    expect(b.read(0, 4)).toBe(0xa0);
    expect(b.lastOk).toBe(true);
  });

  it('config rules answer a misaligned read with all-ones', () => {
    const b = new RegisterBlock(decl, CFG_RULES);
    expect(b.read(1, 2)).toBe(0xffff);
    expect(b.lastOk).toBe(false);
  });

  it('post-write hooks see the written value; read hooks refresh live state; hardware set bypasses masks', () => {
    const b = new RegisterBlock(decl, DEVICE_RULES);
    const seen: number[] = [];
    b.onWrite('Control', (blk, r, lo) => {
      seen.push(lo);
      blk.setBits(r.offset, 4, 1, 0); // self-clearing "doorbell"
    });
    let live = 0;
    b.onRead('Wide', (blk, r) => blk.set64(r.offset, BigInt(++live)));
    b.write(0, 4, 0x1);
    expect(seen).toEqual([1]);
    expect(b.read(0, 4) & 1).toBe(0);
    expect(b.read64(8)).toBe(1n);
    expect(b.read(8, 4)).toBe(2);
    b.set(0, 4, 0xffff_ffff); // model writes RO bits, but reserved bits stay 0
    expect(b.read(0, 4)).toBe(0xf000_00f3); // bits 3:2 are declared by no field: reserved
  });
});

describe('RegisterSpace', () => {
  it('routes to blocks, reads reserved gaps as 0 and out-of-range as all-ones unclaimed', () => {
    const s = new RegisterSpace(0x100, CFG_RULES);
    s.place(0x40, new RegisterBlock(decl, CFG_RULES));
    expect(s.read(0x40, 4)).toBe(0xa0);
    expect(s.status).toBe(STATUS_OK);
    expect(s.read(0x80, 4)).toBe(0);
    expect(s.status).toBe(STATUS_OK);
    expect(s.read(0x100, 4)).toBe(0xffff_ffff);
    expect(s.status).toBe(STATUS_UNCLAIMED);
    s.read(0x41, 2);
    expect(s.status).toBe(STATUS_BAD_ACCESS);
  });
});
