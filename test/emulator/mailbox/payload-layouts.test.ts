import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as payloads from '../../../emulator/mailbox/payloads.js';
import type { FieldKind, Layout } from '../../../emulator/mailbox/layout.js';

type AnyLayout = Layout<Record<string, readonly [number, FieldKind, number?]>>;
const layouts = (Object.entries(payloads) as [string, unknown][]).filter(
  (e): e is [string, AnyLayout] => typeof e[1] === 'object' && e[1] !== null && 'fields' in e[1] && 'decode' in e[1],
);

const WIDTH: Record<FieldKind, number> = { u8: 1, u16: 2, s16: 2, u24: 3, u32: 4, u64: 8, u64n: 8, bytes: 0 };
const widthOf = (spec: readonly [number, FieldKind, number?]) => (spec[1] === 'bytes' ? (spec[2] ?? 0) : WIDTH[spec[1]]);

function arb(spec: readonly [number, FieldKind, number?]): fc.Arbitrary<unknown> {
  switch (spec[1]) {
    case 'u8':
      return fc.integer({ min: 0, max: 0xff });
    case 'u16':
      return fc.integer({ min: 0, max: 0xffff });
    case 's16':
      return fc.integer({ min: -0x8000, max: 0x7fff });
    case 'u24':
      return fc.integer({ min: 0, max: 0xff_ffff });
    case 'u32':
      return fc.integer({ min: 0, max: 0xffff_ffff });
    case 'u64':
      return fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER });
    case 'u64n':
      return fc.bigInt({ min: 0n, max: 2n ** 64n - 1n });
    case 'bytes':
      return fc.uint8Array({ minLength: spec[2], maxLength: spec[2] });
  }
}

describe('payload layouts', () => {
  it('finds the layouts', () => {
    expect(layouts.length).toBeGreaterThan(40);
  });

  it.each(layouts)('%s: fields lie inside the payload and do not overlap', (_name, layout) => {
    const used = new Uint8Array(layout.size);
    for (const spec of Object.values(layout.fields)) {
      const [offset] = spec;
      const width = widthOf(spec);
      expect(width).toBeGreaterThan(0);
      expect(offset + width).toBeLessThanOrEqual(layout.size);
      for (let i = offset; i < offset + width; i++) {
        expect(used[i]).toBe(0);
        used[i] = 1;
      }
    }
  });

  it.each(layouts)('%s: decode(encode(v)) == v, little-endian', (_name, layout) => {
    const record = fc.record(Object.fromEntries(Object.entries(layout.fields).map(([k, spec]) => [k, arb(spec)])));
    fc.assert(
      fc.property(record, (v) => {
        const bytes = layout.encode(v as never);
        expect(bytes.length).toBe(layout.size);
        expect(layout.decode(bytes)).toEqual(v);
      }),
      { numRuns: 30 },
    );
  });

  it('stores multi-byte fields little-endian at their offsets', () => {
    const b = payloads.GetLogIn.encode({ offset: 0x11223344, length: 0x55 });
    expect([...b.subarray(0x10, 0x18)]).toEqual([0x44, 0x33, 0x22, 0x11, 0x55, 0, 0, 0]);
    const p = payloads.GetPoisonListIn.encode({ address: 2 ** 40 + 0x40, length: 1 });
    expect([...p.subarray(0, 8)]).toEqual([0x40, 0, 0, 0, 0, 1, 0, 0]);
  });

  it('decoding a short buffer reads missing bytes as zero instead of throwing', () => {
    expect(payloads.SetPassphraseIn.decode(Uint8Array.of(1)).type).toBe(1);
    expect(payloads.GetLsaIn.decode(new Uint8Array(0))).toEqual({ offset: 0, length: 0 });
  });
});
