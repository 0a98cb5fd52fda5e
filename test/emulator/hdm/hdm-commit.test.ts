import { describe, expect, it } from 'vitest';
import { createHdmDecoders, CTRL, decoderOffset, DEC, CAP, type HdmDecoderOptions, HDM_BLOCK_ID } from '../../../emulator/hdm/index.js';
import { resolveBlock } from '../../../emulator/spec/blocks.js';

const MiB = 2 ** 20;
const GiB = 2 ** 30;

const ep = (over: Partial<HdmDecoderOptions> = {}) =>
  createHdmDecoders({ flavour: 'endpoint', decoders: 4, dpaCapacity: () => 1 * GiB, ...over });
const port = (over: Partial<HdmDecoderOptions> = {}) =>
  createHdmDecoders({ flavour: 'port', decoders: 4, targetCount: 8, targetPresent: (p) => p === 0 || p === 1, ...over });

type Hdm = ReturnType<typeof ep>;
interface Prog {
  base: number;
  size: number;
  iw?: number;
  ig?: number;
  lock?: boolean;
  targets?: number[];
  skip?: number;
}
const w = (h: Hdm, n: number, off: number, v: number) => h.block.write(decoderOffset(n) + off, 4, v >>> 0);
const r = (h: Hdm, n: number, off: number) => h.block.read(decoderOffset(n) + off, 4);
const program = (h: Hdm, n: number, p: Prog) => {
  w(h, n, DEC.baseLo, p.base % 2 ** 32);
  w(h, n, DEC.baseHi, Math.floor(p.base / 2 ** 32));
  w(h, n, DEC.sizeLo, p.size % 2 ** 32);
  w(h, n, DEC.sizeHi, Math.floor(p.size / 2 ** 32));
  if (p.targets) {
    const t = [...p.targets, 0, 0, 0, 0, 0, 0, 0, 0];
    w(h, n, DEC.listLo, t[0] | (t[1] << 8) | (t[2] << 16) | (t[3] << 24));
    w(h, n, DEC.listHi, t[4] | (t[5] << 8) | (t[6] << 16) | (t[7] << 24));
  }
  if (p.skip !== undefined) {
    w(h, n, DEC.listLo, p.skip % 2 ** 32);
    w(h, n, DEC.listHi, Math.floor(p.skip / 2 ** 32));
  }
  const ctrl = (p.ig ?? 0) | ((p.iw ?? 0) << 4) | (p.lock ? CTRL.lockOnCommit : 0) | CTRL.targetTypeHostOnly;
  w(h, n, DEC.control, ctrl);
  w(h, n, DEC.control, ctrl | CTRL.commit);
};
const ctrl = (h: Hdm, n: number) => r(h, n, DEC.control);
const isCommitted = (h: Hdm, n: number) => (ctrl(h, n) & CTRL.committed) !== 0;
const isError = (h: Hdm, n: number) => (ctrl(h, n) & CTRL.errorNotCommitted) !== 0;

const expectRejected = (h: Hdm, n: number, reason: RegExp) => {
  expect(isError(h, n)).toBe(true);
  expect(isCommitted(h, n)).toBe(false);
  expect(h.committed().some((d) => d.index === n)).toBe(false);
  expect(h.lastError(n)).toMatch(reason);
};

describe('HDM decoder capability registers', () => {
  it('advertise decoder count, target count and interleave capabilities', () => {
    const p = port({ decoders: 8, targetCount: 4, capBits: CAP.a11to8 });
    const cap = p.block.read(0, 4);
    expect(cap & 0xf).toBe(4); // 8 decoders
    expect((cap >> 4) & 0xf).toBe(4);
    expect(cap & 0x1f00).toBe(CAP.a11to8);
    expect(ep().block.read(0, 4) & 0xff).toBe(2); // 4 decoders, no target count on endpoints
  });
  it('HDM Decoder Enable is writable on endpoints and reads 0 on ports (8.2.5.12.2)', () => {
    const e = ep();
    e.block.write(4, 4, 2);
    expect(e.block.read(4, 4)).toBe(2);
    expect(e.enabled()).toBe(true);
    const p = port();
    p.block.write(4, 4, 2);
    expect(p.block.read(4, 4)).toBe(0);
  });
  it('registers its block kind for trace decode', () => {
    const d = resolveBlock(HDM_BLOCK_ID, { decoders: 2, endpoint: 1 });
    expect(d?.size).toBe(0x50);
    expect(d?.registers.map((x) => x.name)).toContain('Decoder 1 DPA Skip Low');
    expect(resolveBlock(HDM_BLOCK_ID, { decoders: 1, endpoint: 0 })?.registers.map((x) => x.name)).toContain('Decoder 0 Target List High');
  });
  it('accepts only 32-bit accesses (CXL 2.0 8.2.2)', () => {
    const e = ep();
    e.block.write(decoderOffset(0) + DEC.sizeHi, 2, 1);
    expect(e.block.lastOk).toBe(false);
    expect(r(e, 0, DEC.sizeHi)).toBe(0);
  });
});

describe('commit', () => {
  it('a good endpoint decoder commits, with the DPA range the skip and ways give', () => {
    const e = ep();
    program(e, 0, { base: 64 * GiB, size: 512 * MiB, iw: 1, ig: 2, skip: 256 * MiB });
    expect(isCommitted(e, 0)).toBe(true);
    expect(isError(e, 0)).toBe(false);
    expect(e.committed()[0]).toMatchObject({ base: 64 * GiB, size: 512 * MiB, ways: 2, granularity: 1024, dpaBase: 256 * MiB, dpaSize: 256 * MiB });
  });
  it('sizes and bases with bit 31 of the Low register set decode as unsigned (2 GiB + 2 GiB)', () => {
    const e = ep({ dpaCapacity: () => 4 * GiB });
    program(e, 0, { base: 2 * GiB, size: 2 * GiB });
    expect(e.committed()[0]).toMatchObject({ base: 2 * GiB, size: 2 * GiB, dpaSize: 2 * GiB });
    expect(e.find(4 * GiB - 1)?.index).toBe(0);
  });
  it('completes only after the configured number of Control reads', () => {
    const e = ep({ commitPolls: 3 });
    const g = e.generation;
    program(e, 0, { base: 0, size: 256 * MiB });
    expect(isCommitted(e, 0)).toBe(false); // poll 1
    expect(isCommitted(e, 0)).toBe(false); // poll 2
    expect(isCommitted(e, 0)).toBe(true); // poll 3
    expect(e.generation).toBe(g + 1);
  });
  it('a port decoder commits with present targets', () => {
    const p = port();
    program(p, 0, { base: 16 * GiB, size: 1 * GiB, iw: 1, targets: [1, 0] });
    expect(isCommitted(p, 0)).toBe(true);
    expect(p.committed()[0].targets).toEqual([1, 0]);
    expect(p.find(16 * GiB + 5)?.index).toBe(0);
    expect(p.find(17 * GiB)).toBeNull();
  });
});

describe('commit errors set Error Not Committed and leave the decoder uncommitted', () => {
  it('size not a multiple of 256 MiB x ways', () => {
    const e = ep();
    program(e, 0, { base: 0, size: 768 * MiB, iw: 1 });
    expectRejected(e, 0, /size is not a multiple of 256 MiB x 2 ways/);
  });
  it('reserved IW encoding', () => {
    const e = ep();
    program(e, 0, { base: 0, size: 256 * MiB, iw: 5 });
    expectRejected(e, 0, /IW 5 is a reserved encoding/);
  });
  it('reserved IG encoding', () => {
    const e = ep();
    program(e, 0, { base: 0, size: 256 * MiB, ig: 7 });
    expectRejected(e, 0, /IG 7 is a reserved encoding/);
  });
  it('3-way interleave without the 3/6/12 capability', () => {
    const p = port({ capBits: CAP.a11to8 | CAP.a14to12 });
    program(p, 0, { base: 0, size: 768 * MiB, iw: 8, targets: [0, 1, 0] });
    expectRejected(p, 0, /3-way interleave is not supported/);
  });
  it('16-way without the 16-way capability, and more ways than targets', () => {
    const e = ep({ capBits: CAP.a11to8 | CAP.a14to12 | CAP.ways3612 });
    program(e, 0, { base: 0, size: 4 * GiB, iw: 4 });
    expectRejected(e, 0, /16-way interleave is not supported/);
    const p = port({ targetCount: 2 });
    program(p, 0, { base: 0, size: 1 * GiB, iw: 2, targets: [0, 1, 0, 1] });
    expectRejected(p, 0, /4 ways exceed the 2 targets/);
  });
  it('interleave on HPA bits the capability does not offer (A11to8 / A14to12 name address bits, CXL 2.0 8.2.5.12.1)', () => {
    const e = ep({ capBits: CAP.a11to8 });
    program(e, 0, { base: 0, size: 512 * MiB, iw: 1, ig: 4 }); // 2-way x 4 KiB selects on bit 12
    expectRejected(e, 0, /HPA bits 12:12, which needs A14to12/);
    // 8-way x 1 KiB selects on bits 12:10: a granularity under 2 KiB is not enough to stay within bits 11:8
    const e8 = ep({ capBits: CAP.a11to8, dpaCapacity: () => 4 * GiB });
    program(e8, 0, { base: 0, size: 2 * GiB, iw: 3, ig: 2 });
    expectRejected(e8, 0, /HPA bits 12:10, which needs A14to12/);
    const p = port({ capBits: CAP.a14to12 });
    program(p, 0, { base: 0, size: 512 * MiB, iw: 1, ig: 0, targets: [0, 1] });
    expectRejected(p, 0, /HPA bits 8:8, which needs A11to8/);
  });
  it('a 1-way decoder reads no interleave bits, so its IG needs no capability', () => {
    const e = ep({ capBits: CAP.a11to8 });
    program(e, 0, { base: 0, size: 256 * MiB, ig: 4 });
    expect(isCommitted(e, 0)).toBe(true);
  });
  it('committed out of order', () => {
    const e = ep();
    program(e, 1, { base: 0, size: 256 * MiB });
    expectRejected(e, 1, /decoder 0 is not committed/);
  });
  it('decreasing HPA', () => {
    const e = ep();
    program(e, 0, { base: 8 * GiB, size: 256 * MiB });
    program(e, 1, { base: 4 * GiB, size: 256 * MiB });
    expectRejected(e, 1, /below decoder 0's base/);
  });
  it('overlapping ranges', () => {
    const e = ep();
    program(e, 0, { base: 8 * GiB, size: 512 * MiB });
    program(e, 1, { base: 8 * GiB + 256 * MiB, size: 256 * MiB });
    expectRejected(e, 1, /overlaps decoder 0/);
  });
  it('targets not present (ports)', () => {
    const p = port();
    program(p, 0, { base: 0, size: 512 * MiB, iw: 1, targets: [0, 5] });
    expectRejected(p, 0, /target 1 names port 5, which is not present/);
  });
  it('DPA skip accumulates: decoder n starts after decoders 0..n-1 (their skips and size / ways) plus its own skip', () => {
    const e = ep();
    program(e, 0, { base: 64 * GiB, size: 512 * MiB, iw: 1, skip: 256 * MiB }); // DPA 256 MiB .. 512 MiB
    program(e, 1, { base: 65 * GiB, size: 256 * MiB, skip: 256 * MiB }); // DPA 768 MiB .. 1 GiB
    expect(e.committed().map((d) => [d.dpaBase / MiB, d.dpaSize / MiB])).toEqual([
      [256, 256],
      [768, 256],
    ]);
    program(e, 2, { base: 66 * GiB, size: 256 * MiB }); // would start at 1 GiB: nothing left
    expectRejected(e, 2, /DPA exhausted/);
  });
  it('DPA exhausted (endpoints): skip + size / ways beyond capacity', () => {
    const e = ep({ dpaCapacity: () => 512 * MiB });
    program(e, 0, { base: 0, size: 512 * MiB, iw: 1, skip: 256 * MiB }); // 256 + 256 = 512: fits
    expect(isCommitted(e, 0)).toBe(true);
    program(e, 1, { base: 1 * GiB, size: 256 * MiB });
    expectRejected(e, 1, /DPA exhausted/);
  });
  it('the error shows only after the configured polls, and clearing Commit clears it', () => {
    const e = ep({ commitPolls: 2 });
    program(e, 0, { base: 0, size: 768 * MiB, iw: 1 });
    expect(isError(e, 0)).toBe(false);
    expect(isError(e, 0)).toBe(true);
    w(e, 0, DEC.control, 0x10);
    expect(ctrl(e, 0) & (CTRL.errorNotCommitted | CTRL.committed | CTRL.commit)).toBe(0);
    program(e, 0, { base: 0, size: 512 * MiB, iw: 1 });
    expect(isError(e, 0)).toBe(false);
    expect(isCommitted(e, 0)).toBe(true);
  });
});

describe('lock on commit and decommit', () => {
  it('locked decoders ignore writes until reset', () => {
    const e = ep();
    program(e, 0, { base: 4 * GiB, size: 256 * MiB, lock: true });
    expect(isCommitted(e, 0)).toBe(true);
    w(e, 0, DEC.baseHi, 7);
    w(e, 0, DEC.sizeLo, 0x2000_0000);
    w(e, 0, DEC.listLo, 0x1000_0000);
    expect(r(e, 0, DEC.baseHi)).toBe(1);
    expect(r(e, 0, DEC.sizeLo)).toBe(0x1000_0000);
    expect(r(e, 0, DEC.listLo)).toBe(0);
    // Clearing Commit on a locked decoder is ignored.
    w(e, 0, DEC.control, 0);
    expect(isCommitted(e, 0)).toBe(true);
    expect(e.committed()).toHaveLength(1);
    e.reset('cold');
    expect(isCommitted(e, 0)).toBe(false);
    w(e, 0, DEC.baseHi, 7);
    expect(r(e, 0, DEC.baseHi)).toBe(7);
  });
  it('lock applies to that decoder only', () => {
    const e = ep();
    program(e, 0, { base: 0, size: 256 * MiB, lock: true });
    w(e, 1, DEC.baseHi, 3);
    expect(r(e, 1, DEC.baseHi)).toBe(3);
  });
  it('decommit in reverse order works; out of order is an error and leaves it committed', () => {
    const e = ep();
    program(e, 0, { base: 0, size: 256 * MiB });
    program(e, 1, { base: 1 * GiB, size: 256 * MiB });
    const g = e.generation;
    w(e, 0, DEC.control, CTRL.targetTypeHostOnly);
    expect(isCommitted(e, 0)).toBe(true);
    expect(isError(e, 0)).toBe(true);
    expect(ctrl(e, 0) & CTRL.commit).toBe(CTRL.commit);
    expect(e.generation).toBe(g);
    w(e, 1, DEC.control, CTRL.targetTypeHostOnly);
    expect(isCommitted(e, 1)).toBe(false);
    w(e, 0, DEC.control, CTRL.targetTypeHostOnly);
    expect(isCommitted(e, 0)).toBe(false);
    expect(isError(e, 0)).toBe(false);
    expect(e.committed()).toHaveLength(0);
    expect(e.generation).toBe(g + 2);
  });
  it('register writes after commit do not change what the decoder decodes', () => {
    const e = ep();
    program(e, 0, { base: 4 * GiB, size: 256 * MiB });
    w(e, 0, DEC.baseHi, 9);
    expect(e.find(4 * GiB)?.index).toBe(0);
    expect(e.find(9 * 2 ** 32)).toBeNull();
  });
});
