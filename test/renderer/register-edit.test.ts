import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { fieldMask, formatRegValue, isWritableAccess, parseNumberText, spliceField, toWidthHex } from '../../renderer/src/lib/register-edit.js';

const u64 = fc.bigInt({ min: 0n, max: (1n << 64n) - 1n });
const bitsArb = fc.integer({ min: 0, max: 63 }).chain((lo) => fc.integer({ min: lo, max: 63 }).map((hi) => [hi, lo] as [number, number]));

describe('register explorer arithmetic', () => {
  test('a field written into a register changes exactly that field', () => {
    fc.assert(
      fc.property(u64, bitsArb, u64, (reg, bits, raw) => {
        const width = bits[0] - bits[1] + 1;
        const value = raw & ((1n << BigInt(width)) - 1n);
        const out = spliceField(reg, bits, value)!;
        const mask = fieldMask(bits);
        expect(out & ~mask).toBe(reg & ~mask);
        expect((out & mask) >> BigInt(bits[1])).toBe(value);
      }),
    );
  });

  test('a value wider than its field is refused', () => {
    expect(spliceField(0n, [3, 0], 16n)).toBeNull();
    expect(spliceField(0n, [3, 0], 15n)).toBe(15n);
    expect(spliceField(0xffn, [7, 4], 0n)).toBe(0x0fn);
  });

  test('number text: 0x always hex, bare digits by the radix, junk is null', () => {
    expect(parseNumberText('0x1F')).toBe(31n);
    expect(parseNumberText('10')).toBe(10n);
    expect(parseNumberText('10', 'hex')).toBe(16n);
    expect(parseNumberText('1f', 'dec')).toBeNull();
    expect(parseNumberText('1_000')).toBe(1000n);
    expect(parseNumberText('-1')).toBeNull();
  });

  test('values display in hex as given or in decimal; register hex keeps its width', () => {
    expect(formatRegValue('0x10000000', 'dec')).toBe('268435456');
    expect(formatRegValue('0x0010', 'hex')).toBe('0x0010');
    expect(toWidthHex(0x10n, 4)).toBe('0x00000010');
  });

  test('RW, sticky, lockable and write-1-to-clear fields are writable; RO, HwInit and reserved are not', () => {
    expect(['RW', 'RWS', 'RWL', 'RW1C', 'RW1CS', 'RWO'].every(isWritableAccess)).toBe(true);
    expect(['RO', 'HwInit', 'RsvdP', 'RsvdZ', 'ROS'].some(isWritableAccess)).toBe(false);
  });
});
