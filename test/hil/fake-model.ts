// A plain-memory FunctionModel for hil tests: cfg 4 KiB, BAR0 64 KiB, BAR2 4 KiB, little-endian bytes,
// contents seeded from a formula so reads have distinct, checkable values.
import type { CfgWidth } from '../../common/access.js';
import type { FunctionModel } from '../../common/function-model.js';

export const seedWord = (space: number, off: number): number => (Math.imul(off + 1, 0x9e3779b1) ^ (space << 28)) >>> 0;

export function fakeModel(): FunctionModel & { spaces: Uint8Array[] } {
  const sizes = [0x1000, 0x10000, 0, 0x1000];
  const spaces = sizes.map((s) => new Uint8Array(s));
  spaces.forEach((b, i) => {
    const dv = new DataView(b.buffer);
    for (let o = 0; o < b.length; o += 4) dv.setUint32(o, seedWord(i, o), true);
  });
  const rd = (s: number, o: number, w: number): number => {
    const b = spaces[s];
    if (!b || o + w > b.length) return 2 ** (8 * w) - 1;
    const dv = new DataView(b.buffer);
    return w === 1 ? dv.getUint8(o) : w === 2 ? dv.getUint16(o, true) : dv.getUint32(o, true);
  };
  const wr = (s: number, o: number, w: number, v: number): void => {
    const b = spaces[s];
    if (!b || o + w > b.length) return;
    const dv = new DataView(b.buffer);
    if (w === 1) dv.setUint8(o, v);
    else if (w === 2) dv.setUint16(o, v, true);
    else dv.setUint32(o, v >>> 0, true);
  };
  return {
    spaces,
    cfgRead: (o: number, w: CfgWidth) => rd(0, o, w),
    cfgWrite: (o: number, w: CfgWidth, v: number) => wr(0, o, w, v),
    barRead: (bar: number, o: number, w: CfgWidth) => rd(bar + 1, o, w),
    barWrite: (bar: number, o: number, w: CfgWidth, v: number) => wr(bar + 1, o, w, v),
    barRead64: (bar: number, o: number) => (BigInt(rd(bar + 1, o + 4, 4)) << 32n) | BigInt(rd(bar + 1, o, 4)),
    barWrite64: (bar: number, o: number, v: bigint) => {
      wr(bar + 1, o, 4, Number(v & 0xffffffffn));
      wr(bar + 1, o + 4, 4, Number(v >> 32n));
    },
    barSizes: () => [0x10000, 0, 0x1000, 0, 0, 0],
  };
}

export const TEST_MAP = {
  cfg: { base: 0x1000_0000, size: 0x1000 },
  bar0: { base: 0x2000_0000, size: 0x10000 },
  bar2: { base: 0x3000_0000, size: 0x1000 },
};
