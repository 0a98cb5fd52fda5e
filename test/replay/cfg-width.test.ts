// Config widths for QEMU pci_cfg lines (no size in the trace): the declared register at the offset, widened to
// fit the value, else the alignment guess.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { alignedCfgWidth, inferCfgWidth } from '../../host/core/cfg-width.js';

describe('inferCfgWidth', () => {
  it('takes the width of the register declared at the offset (Vendor ID at 0x0 read as 16 bits)', () => {
    expect(inferCfgWidth(0x0, 0x8086n, { base: 0x0, width: 2 })).toBe(2);
    expect(inferCfgWidth(0x18, 0x0cn, { base: 0x18, width: 1 })).toBe(1);
  });

  it('widens while the value does not fit (Vendor + Device ID read as one dword at 0x0)', () => {
    expect(inferCfgWidth(0x0, 0x70758086n, { base: 0x0, width: 2 })).toBe(4);
    expect(inferCfgWidth(0x8, 0x6040000n, { base: 0x8, width: 1 })).toBe(4);
    expect(inferCfgWidth(0x24, 0x1fff1n, { base: 0x24, width: 2 })).toBe(4);
  });

  it('falls back to alignment inside a register or where nothing is declared', () => {
    expect(inferCfgWidth(0x1a, 0xffn, undefined)).toBe(2);
    expect(inferCfgWidth(0x19, 0xffn, { base: 0x18, width: 4 })).toBe(1);
    expect(inferCfgWidth(0x40, 0x10n, { base: 0x3c, width: 8 })).toBe(4);
  });

  it('never exceeds the alignment of the offset and always holds the value it can', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xfff }), fc.constantFrom(1, 2, 4), fc.integer({ min: 0, max: 0xffff_ffff }), (off, dw, v) => {
        const w = inferCfgWidth(off, BigInt(v), { base: off, width: dw });
        expect(w).toBeLessThanOrEqual(alignedCfgWidth(off));
        if (BigInt(v) < 1n << BigInt(8 * alignedCfgWidth(off))) expect(BigInt(v) >> BigInt(8 * w)).toBe(0n);
      }),
    );
  });
});
