// Random register accesses over cfg / BAR0 / BAR2 / BAR4 of a Type 3 device with the real command set behind
// the mailbox. FUZZ_SEED overrides the seed; FUZZ_ACCESSES the count (default 1,000,000).
// Invariants: no exception; read-only fields that no model drives keep their reset value; reserved bits and
// undeclared bytes hold 0; the mailbox doorbell is clear after every write (the handshake completes).

import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../common/clock.js';
import type { CfgWidth } from '../../../common/access.js';
import { defaultType3Config } from '../../../emulator/type3/config.js';
import { createType3 } from '../../../emulator/type3/type3-device.js';
import type { RegisterBlock } from '../../../emulator/regs/register-block.js';

const SEED = Number(process.env.FUZZ_SEED ?? 0x5eed_cafe) >>> 0 || 1;
const ACCESSES = Number(process.env.FUZZ_ACCESSES ?? 1_000_000);

/** Blocks whose RO bits the model changes at run time (status fed by the backend, DOE, RAS FEP, HDM commit). */
const LIVE_KINDS = new Set(['cxl-mailbox', 'cxl-dev-status', 'cxl-memdev-status', 'pci-doe', 'cxl-ras', 'cxl-hdm-decoder', 'pci-msix-table', 'cxl-mailbox-payload']);
const FIXED = new Set(['RO', 'HwInit']);

/** Mask of fixed read-only bits per byte, from the declaration (independent of the engine's own masks). */
function fixedMask(b: RegisterBlock): Uint8Array {
  const m = new Uint8Array(b.size);
  for (const r of b.decl.registers) {
    if (/^Range \d Size Low$/.test(r.name)) continue; // Memory_Active follows the media state
    for (const f of r.fields) {
      if (!FIXED.has(f.access)) continue;
      for (let bit = f.bits[1]; bit <= f.bits[0]; bit++) m[r.offset + (bit >> 3)] |= 1 << (bit & 7);
    }
  }
  return m;
}

describe('register fuzz', () => {
  it(`survives ${ACCESSES} random accesses (seed 0x${SEED.toString(16)}) with invariants intact`, () => {
    const dev = createType3({ ...defaultType3Config(), payloadSizeLog2: 9 }, new VirtualClock());
    const fn = dev.fn;
    const regions = ['cfg', 'bar0', 'bar2', 'bar4'] as const;
    const placed = dev.layout().map((p) => ({ ...p, blk: dev.block(p.block, p.region)! }));
    // dev.block returns the first block of a kind: every kind appears once per region in a Type 3 device.
    const watched = placed
      .filter((p) => !LIVE_KINDS.has(p.block))
      .map((p) => ({ p, mask: fixedMask(p.blk), reset: p.blk.masks.reset }));
    const mbBase = placed.find((p) => p.block === 'cxl-mailbox')!.base;
    const mbBlock = placed.find((p) => p.block === 'cxl-mailbox')!.blk;
    const sizes = { cfg: 0x1000, bar0: fn.barSizes()[0], bar2: fn.barSizes()[2], bar4: fn.barSizes()[4] };
    const byRegion = regions.map((r) => placed.filter((p) => p.region === r));

    let s = SEED;
    const rnd = (): number => {
      s ^= s << 13;
      s >>>= 0;
      s ^= s >>> 17;
      s ^= s << 5;
      s >>>= 0;
      return s;
    };
    const WIDTHS = [1, 2, 4, 8] as const;
    const opcodes = [0x0001, 0x0100, 0x0101, 0x0200, 0x0300, 0x0301, 0x0400, 0x0401, 0x4000, 0x4100, 0x4102, 0x4103, 0x4200, 0x4300, 0x4301, 0x4302];

    const checkInvariants = (when: number): void => {
      for (const { p, mask, reset } of watched) {
        const st = p.blk.state;
        const rsv = p.blk.masks.reserved;
        for (let i = 0; i < st.length; i++) {
          if ((st[i] & rsv[i]) !== 0) throw new Error(`access ${when}: reserved bits set in ${p.block}+0x${i.toString(16)}`);
          if (((st[i] ^ reset[i]) & mask[i]) !== 0) throw new Error(`access ${when}: RO bits changed in ${p.block}+0x${i.toString(16)}`);
        }
      }
    };

    let doorbells = 0;
    let badAccess = 0;
    for (let n = 0; n < ACCESSES; n++) {
      const r = rnd();
      const ri = r & 3;
      const region = regions[ri];
      const width = WIDTHS[(r >>> 2) & 3];
      let offset: number;
      if ((r >>> 4) % 10 < 7 && byRegion[ri].length > 0) {
        const p = byRegion[ri][rnd() % byRegion[ri].length];
        offset = p.base + (rnd() % Math.max(1, Math.min(p.blk.size, 0x100)));
        if ((r >>> 8) & 1) offset &= ~(width - 1);
      } else offset = rnd() % (sizes[region] + 8);
      const write = ((r >>> 9) & 3) === 0;
      const value = rnd();

      if (region === 'bar2' && ((r >>> 11) & 0x3f) === 0) {
        // A whole mailbox command: opcode, random length (sometimes too long), doorbell.
        const op = (r >>> 17) & 1 ? opcodes[rnd() % opcodes.length] : rnd() & 0xffff;
        const len = rnd() % (512 + 64);
        fn.barWrite64(2, mbBase + 0x08, BigInt(op) | (BigInt(len) << 16n));
        fn.barWrite(2, mbBase + 0x04, 4, 1);
        doorbells++;
      } else if (region === 'cfg') {
        if (width === 8) continue;
        if (write) fn.cfgWrite(offset, width as CfgWidth, value);
        else fn.cfgRead(offset, width as CfgWidth);
      } else {
        const bar = region === 'bar0' ? 0 : region === 'bar2' ? 2 : 4;
        if (width === 8) {
          if (write) fn.barWrite64(bar, offset, (BigInt(value) << 32n) | BigInt(rnd()));
          else fn.barRead64(bar, offset);
        } else if (write) fn.barWrite(bar, offset, width, value);
        else fn.barRead(bar, offset, width);
      }
      if (fn.lastStatus() === 2) badAccess++;
      if (region === 'bar2' && (mbBlock.get(0x04, 4) & 1) !== 0) throw new Error(`access ${n}: doorbell left set`);
      if ((n & 0xffff) === 0) checkInvariants(n);
      if (n % 250_000 === 249_999) dev.reset(n & 1 ? 'warm' : 'cold');
    }
    checkInvariants(ACCESSES);
    expect(doorbells).toBeGreaterThan(ACCESSES / 2000);
    expect(badAccess).toBeGreaterThan(0);
  });
});
