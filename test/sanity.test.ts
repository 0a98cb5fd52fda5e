import { describe, expect, it } from 'vitest';
import { bdf, formatBdf, bdfBus, bdfDev, bdfFn } from '../common/units.js';
import { allOnes, allOnesNum } from '../common/access.js';

describe('common units', () => {
  it('packs and formats a BDF as lspci does', () => {
    const b = bdf(0x0c, 0x1f, 7);
    expect(formatBdf(b)).toBe('0c:1f.7');
    expect([bdfBus(b), bdfDev(b), bdfFn(b)]).toEqual([0x0c, 0x1f, 7]);
  });
  it('all-ones per width', () => {
    expect(allOnesNum(2)).toBe(0xffff);
    expect(allOnes(8)).toBe(0xffff_ffff_ffff_ffffn);
  });
});
