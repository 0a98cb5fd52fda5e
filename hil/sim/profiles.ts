// Silicon profiles: documented ways a real board deviates from the spec-perfect emulator, as data, applied to
// any FunctionModel by `withSiliconProfile` so a comparison run has real differences to find (DESIGN.md 3).
// Register locations are discovered from the model (capability chains), not hard-coded, so the same profile
// fits any Type 3 layout.

import type { CfgWidth } from '../../common/access.js';
import type { FunctionModel } from '../../common/function-model.js';

export interface ResetValueDeviation {
  /** 'cfg' or a BAR number. */
  space: 'cfg' | number;
  /** Dword-aligned offset. */
  offset: number;
  /** Bits that differ, and their value after reset (until the host writes that dword). */
  mask: number;
  value: number;
  why: string;
}

export interface SiliconProfile {
  name: string;
  description: string;
  resetValues: ResetValueDeviation[];
  /** After a doorbell write, Mailbox Control reads Doorbell = 1 for this many further reads (CXL 2.0 8.2.8.4.4). */
  mailboxBusyPolls: number;
  /** The first N HDM decoder commits fail with Error Not Committed (CXL 2.0 8.2.5.12.7) instead of committing. */
  hdmCommitFailures: number;
  /** Extended capability IDs unlinked from the config space chain (registers still decode, as dead logic). */
  removedExtCaps: number[];
}

/** PCIe extended capability ID of Data Object Exchange (PCIe 5.0 7.9.24). */
export const EXT_CAP_DOE = 0x002e;

export const SILICON_PROFILES: Record<string, SiliconProfile> = {
  ideal: {
    name: 'ideal',
    description: 'No deviations: the model as it is.',
    resetValues: [],
    mailboxBusyPolls: 0,
    hdmCommitFailures: 0,
    removedExtCaps: [],
  },
  'rev-a': {
    name: 'rev-a',
    description:
      'First FPGA build: Revision ID 0x0A, Interrupt Line resets to 0xFF; mailbox busy for 3 polls after each doorbell; ' +
      'the first HDM decoder commit fails (Error Not Committed); DOE not linked into the extended capability chain.',
    resetValues: [
      { space: 'cfg', offset: 0x08, mask: 0x0000_00ff, value: 0x0000_000a, why: 'Revision ID: gateware rev A (PCI 3.0 6.2.1)' },
      { space: 'cfg', offset: 0x3c, mask: 0x0000_00ff, value: 0x0000_00ff, why: 'Interrupt Line resets to FFh, not 00h (PCI 3.0 6.2.4)' },
    ],
    mailboxBusyPolls: 3,
    hdmCommitFailures: 1,
    removedExtCaps: [EXT_CAP_DOE],
  },
};

// ---- discovery (CXL 2.0 8.2.8.1 device capability array, 8.2.5 CXL.cache/mem capability array) ----

const CM_BASE = 0x1000; // CXL.cache/mem registers in the component block (CXL 2.0 8.2.4)
const CM_CAP_HDM = 0x0005;
const DEV_CAP_MAILBOX = 0x0002;

function findMailboxControl(m: FunctionModel): number | null {
  if ((m.barSizes()[2] ?? 0) === 0) return null;
  const count = (m.barRead(2, 4, 4) & 0xffff) >>> 0;
  for (let i = 1; i <= Math.min(count, 64); i++) {
    if ((m.barRead(2, 16 * i, 4) & 0xffff) === DEV_CAP_MAILBOX) return m.barRead(2, 16 * i + 4, 4) + 4; // +04h Control
  }
  return null;
}

function findHdmControls(m: FunctionModel): number[] {
  if ((m.barSizes()[0] ?? 0) <= CM_BASE) return [];
  const head = m.barRead(0, CM_BASE, 4);
  const n = head >>> 24;
  for (let i = 1; i <= Math.min(n, 32); i++) {
    const h = m.barRead(0, CM_BASE + 4 * i, 4);
    if ((h & 0xffff) === CM_CAP_HDM) {
      const hdm = CM_BASE + (h >>> 20);
      const count = m.barRead(0, hdm, 4) & 0xf;
      const decoders = count === 0 ? 1 : count * 2; // CXL 2.0 8.2.5.12.1 Decoder Count encoding
      return Array.from({ length: decoders }, (_, k) => hdm + 0x20 + 0x20 * k);
    }
  }
  return [];
}

/** Offsets whose header must read differently to unlink `ids`: offset -> patched header. */
function unlinkExtCaps(m: FunctionModel, ids: number[]): Map<number, number> {
  const out = new Map<number, number>();
  if (ids.length === 0) return out;
  const chain: Array<{ at: number; header: number }> = [];
  for (let p = 0x100, guard = 0; p >= 0x100 && guard < 64; guard++) {
    const h = m.cfgRead(p, 4) >>> 0;
    if (h === 0 || h === 0xffff_ffff) break;
    chain.push({ at: p, header: h });
    p = h >>> 20;
  }
  const keep = chain.filter((c) => !ids.includes(c.header & 0xffff));
  if (keep.length === chain.length) return out;
  // Rewrite next pointers of the survivors; if the first one went, 0x100 holds a null capability pointing on.
  const nextOf = (i: number): number => (i + 1 < keep.length ? keep[i + 1].at : 0);
  keep.forEach((c, i) => out.set(c.at, ((c.header & 0x000f_ffff) | (nextOf(i) << 20)) >>> 0));
  if (chain[0] && !keep.includes(chain[0])) out.set(0x100, ((keep[0]?.at ?? 0) << 20) >>> 0);
  return out;
}

const COMMIT = 1 << 9;
const COMMITTED = 1 << 10;
const ERR_NOT_COMMITTED = 1 << 11;

/**
 * Wrap a model so it behaves like silicon with the given profile. Deviations apply to 32-bit-aligned reads of
 * the affected dwords (narrower reads see the same bytes).
 */
export function withSiliconProfile(model: FunctionModel, profile: SiliconProfile | string): FunctionModel {
  const p = typeof profile === 'string' ? SILICON_PROFILES[profile] : profile;
  if (!p) throw new Error(`unknown silicon profile "${String(profile)}" (have: ${Object.keys(SILICON_PROFILES).join(', ')})`);
  if (p.name === 'ideal' && p.resetValues.length === 0 && !p.mailboxBusyPolls && !p.hdmCommitFailures && !p.removedExtCaps.length) return model;

  const key = (space: 'cfg' | number, off: number): string => `${space}:${off & ~3}`;
  const resetLive = new Map<string, ResetValueDeviation>(p.resetValues.map((d) => [key(d.space, d.offset), d]));
  const extPatch = unlinkExtCaps(model, p.removedExtCaps);
  const mbCtl = p.mailboxBusyPolls > 0 ? findMailboxControl(model) : null;
  const hdmCtls = new Set(p.hdmCommitFailures > 0 ? findHdmControls(model) : []);
  let busyLeft = 0;
  let commitFailuresLeft = p.hdmCommitFailures;
  const failedCtl = new Set<number>();

  const patchDword = (space: 'cfg' | number, off: number, v: number): number => {
    const d = resetLive.get(key(space, off));
    if (d) v = ((v & ~d.mask) | (d.value & d.mask)) >>> 0;
    if (space === 'cfg' && extPatch.has(off)) v = extPatch.get(off)!;
    if (space === 2 && off === mbCtl && busyLeft > 0) {
      busyLeft--;
      v = (v | 1) >>> 0; // Doorbell still set: busy
    }
    if (space === 0 && failedCtl.has(off)) v = ((v & ~COMMITTED) | ERR_NOT_COMMITTED) >>> 0;
    return v;
  };
  const touches = (space: 'cfg' | number, off: number): boolean => {
    const base = off & ~3;
    return (
      resetLive.has(key(space, base)) ||
      (space === 'cfg' && extPatch.has(base)) ||
      (space === 2 && base === mbCtl && busyLeft > 0) ||
      (space === 0 && failedCtl.has(base))
    );
  };
  const read = (space: 'cfg' | number, off: number, w: CfgWidth, raw: (o: number, w: CfgWidth) => number): number => {
    const base = off & ~3;
    if (!touches(space, off)) return raw(off, w);
    const dw = patchDword(space, base, raw(base, 4) >>> 0);
    const sh = 8 * (off & 3);
    return w === 4 ? dw : (dw >>> sh) & (2 ** (8 * w) - 1);
  };
  // A reset-value deviation ends when the host writes the field and the field takes the value (RW): a
  // read-only field keeps reading the deviating value, as silicon with a different strap would.
  const wrote = (space: 'cfg' | number, off: number, w: number, v: number, raw: (o: number) => number): void => {
    const d = resetLive.get(key(space, off));
    if (!d) return;
    const shift = 8 * (off & 3);
    const covered = (w === 4 ? 0xffff_ffff : ((2 ** (8 * w) - 1) << shift)) >>> 0;
    const m = d.mask & covered;
    if (m && ((raw(off & ~3) ^ (v << shift)) & m) === 0) resetLive.delete(key(space, off));
  };

  return {
    cfgRead: (o, w) => read('cfg', o, w, (a, b) => model.cfgRead(a, b)),
    cfgWrite: (o, w, v) => {
      model.cfgWrite(o, w, v);
      wrote('cfg', o, w, v, (a) => model.cfgRead(a, 4));
    },
    barRead: (bar, o, w) => read(bar, o, w, (a, b) => model.barRead(bar, a, b)),
    barWrite: (bar, o, w, v) => {
      const base = o & ~3;
      if (bar === 0 && hdmCtls.has(base) && w === 4) {
        failedCtl.delete(base);
        if (v & COMMIT && commitFailuresLeft > 0) {
          commitFailuresLeft--;
          failedCtl.add(base);
          model.barWrite(bar, o, w, v & ~COMMIT); // the decoder never commits
          return;
        }
      }
      model.barWrite(bar, o, w, v);
      wrote(bar, o, w, v, (a) => model.barRead(bar, a, 4));
      if (bar === 2 && base === mbCtl && v & 1) busyLeft = p.mailboxBusyPolls;
    },
    barRead64: (bar, o) => {
      if (!touches(bar, o) && !touches(bar, o + 4)) return model.barRead64(bar, o);
      const lo = read(bar, o, 4, (a, b) => model.barRead(bar, a, b));
      const hi = read(bar, o + 4, 4, (a, b) => model.barRead(bar, a, b));
      return (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);
    },
    barWrite64: (bar, o, v) => {
      model.barWrite64(bar, o, v);
      wrote(bar, o, 4, Number(v & 0xffff_ffffn), (a) => model.barRead(bar, a, 4));
      wrote(bar, o + 4, 4, Number(v >> 32n), (a) => model.barRead(bar, a, 4));
    },
    barSizes: () => model.barSizes(),
  };
}
