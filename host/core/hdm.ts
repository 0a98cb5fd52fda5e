// HDM decoder mechanisms, the host-side mirror of Linux drivers/cxl/core/hdm.c (v6.8-v6.12): capability
// decode (CXL 2.0 8.2.5.12.1), decoder read-back for adoption at probe, programming in the kernel's register
// order (cxl_decoder_commit), commit polling (cxld_await_commit: ~1 ms polls, 10 ms) and reset.

import { NS_PER_MS } from '../../common/clock.js';
import type { ComponentAccess } from './regs.js';
import { hex } from './bytes.js';

/** Decoder Count encoding (CXL 2.0 8.2.5.12.1 / r3.1 Table 8-103); Linux decodes `v ? 2v : 1`, equal up to 8h. */
const DECODER_COUNT = [1, 2, 4, 6, 8, 10, 12, 14, 16, 20, 24, 28, 32];
export const hdmDecoderCount = (field: number): number => DECODER_COUNT[field & 0xf] ?? 0;

/** Interleave Ways encodings (CXL 2.0 8.2.5.12.7): eiw → ways. */
export const EIW_WAYS: Readonly<Record<number, number>> = { 0: 1, 1: 2, 2: 4, 3: 8, 4: 16, 8: 3, 9: 6, 10: 12 };
export const waysToEiw = (ways: number): number | null => {
  for (const [k, v] of Object.entries(EIW_WAYS)) if (v === ways) return Number(k);
  return null;
};
/** Interleave Granularity: 256 B << eig, eig 0..6 (CXL 2.0 8.2.5.12.7). */
export const eigToGranularity = (eig: number): number => 256 << eig;
export const granularityToEig = (g: number): number | null => {
  for (let e = 0; e <= 6; e++) if (256 << e === g) return e;
  return null;
};

/** Register offsets within the HDM Decoder Capability Structure. */
export const HDM = {
  cap: 0x00,
  globalCtrl: 0x04,
  baseLo: (n: number) => 0x10 + 0x20 * n,
  baseHi: (n: number) => 0x14 + 0x20 * n,
  sizeLo: (n: number) => 0x18 + 0x20 * n,
  sizeHi: (n: number) => 0x1c + 0x20 * n,
  ctrl: (n: number) => 0x20 + 0x20 * n,
  tlLo: (n: number) => 0x24 + 0x20 * n,
  tlHi: (n: number) => 0x28 + 0x20 * n,
} as const;

/** Decoder Control bits (CXL 2.0 8.2.5.12.7). */
export const CTRL = { lockOnCommit: 1 << 8, commit: 1 << 9, committed: 1 << 10, errNotCommitted: 1 << 11, hostOnly: 1 << 12 } as const;
/** Global Control: HDM Decoder Enable (bit 1). */
export const HDM_DECODER_ENABLE = 1 << 1;

export interface HdmCaps {
  raw: number;
  decoderCount: number;
  targetCount: number;
  a11to8: boolean;
  a14to12: boolean;
  poisonOnDecodeError: boolean;
  ways3_6_12: boolean;
  ways16: boolean;
}

export function hdmCapsDecode(raw: number): HdmCaps {
  return {
    raw,
    decoderCount: hdmDecoderCount(raw & 0xf),
    targetCount: (raw >>> 4) & 0xf,
    a11to8: !!(raw & (1 << 8)),
    a14to12: !!(raw & (1 << 9)),
    poisonOnDecodeError: !!(raw & (1 << 10)),
    ways3_6_12: !!(raw & (1 << 11)),
    ways16: !!(raw & (1 << 12)),
  };
}

/** An HDM decoder structure located at `base` in a component block. */
export interface HdmAt {
  regs: ComponentAccess;
  base: number;
}

export const hdmRead = (h: HdmAt, off: number): Promise<number> => h.regs.read32(h.base + off);
export const hdmWrite = (h: HdmAt, off: number, v: number): Promise<void> => h.regs.write32(h.base + off, v >>> 0);

export async function hdmReadCaps(h: HdmAt): Promise<HdmCaps> {
  return hdmCapsDecode(await hdmRead(h, HDM.cap));
}

export interface DecoderState {
  index: number;
  base: number;
  size: number;
  ctrl: number;
  ig: number;
  iw: number;
  ways: number | null;
  granularity: number;
  committed: boolean;
  errorNotCommitted: boolean;
  lockOnCommit: boolean;
  hostOnly: boolean;
  /** Target list (ports) or DPA skip (endpoints) as the raw low/high dwords. */
  tlLo: number;
  tlHi: number;
}

const join = (lo: number, hi: number): number => (lo >>> 0) + (hi >>> 0) * 2 ** 32;

export async function hdmReadDecoder(h: HdmAt, n: number): Promise<DecoderState> {
  const ctrl = await hdmRead(h, HDM.ctrl(n));
  const base = join((await hdmRead(h, HDM.baseLo(n))) & 0xf000_0000, await hdmRead(h, HDM.baseHi(n)));
  const size = join((await hdmRead(h, HDM.sizeLo(n))) & 0xf000_0000, await hdmRead(h, HDM.sizeHi(n)));
  const tlLo = await hdmRead(h, HDM.tlLo(n));
  const tlHi = await hdmRead(h, HDM.tlHi(n));
  const iw = (ctrl >>> 4) & 0xf;
  return {
    index: n,
    base,
    size,
    ctrl,
    ig: ctrl & 0xf,
    iw,
    ways: EIW_WAYS[iw] ?? null,
    granularity: eigToGranularity(ctrl & 0xf),
    committed: !!(ctrl & CTRL.committed),
    errorNotCommitted: !!(ctrl & CTRL.errNotCommitted),
    lockOnCommit: !!(ctrl & CTRL.lockOnCommit),
    hostOnly: !!(ctrl & CTRL.hostOnly),
    tlLo,
    tlHi,
  };
}

/** Target port ids of a switch/host-bridge decoder, one byte per way (CXL 2.0 8.2.5.12.8). */
export function decoderTargets(d: DecoderState): number[] {
  const out: number[] = [];
  for (let i = 0; i < (d.ways ?? 0) && i < 8; i++) out.push(((i < 4 ? d.tlLo : d.tlHi) >>> (8 * (i % 4))) & 0xff);
  return out;
}

export interface DecoderProgram {
  base: number;
  size: number;
  ways: number;
  granularity: number;
  /** Port ids in way order (switches/host bridges). */
  targets?: readonly number[];
  /** DPA skip in bytes (endpoints). */
  skip?: number;
  /** HDM-H (Type 3) target range type; Linux sets it for host-only-coherent (CXL_DECODER_HOSTONLYMEM). */
  hostOnly?: boolean;
}

export interface CommitOutcome {
  ok: boolean;
  /** 0, -EIO (Error Not Committed) or -ETIMEDOUT, as cxld_await_commit returns. */
  errno: 0 | -5 | -110;
  ctrl: number;
  polls: number;
  evidence: string;
}

/** COMMIT_TIMEOUT_MS (core/hdm.c): 10 polls, fsleep(1000) between. */
export const COMMIT_TIMEOUT_MS = 10;

/**
 * Program decoder `n` and commit it, in the kernel's order: read control, set IG/IW/type/commit; write base
 * high, base low, size high, size low; target list high/low or DPA skip high/low; write control; then poll.
 */
export async function hdmCommitDecoder(h: HdmAt, n: number, p: DecoderProgram, sleep: (ns: number) => Promise<void>): Promise<CommitOutcome> {
  const eiw = waysToEiw(p.ways) ?? 0;
  const eig = granularityToEig(p.granularity) ?? 0;
  let ctrl = await hdmRead(h, HDM.ctrl(n));
  ctrl = (ctrl & ~0xff & ~CTRL.hostOnly) | eig | (eiw << 4) | CTRL.commit | (p.hostOnly === false ? 0 : CTRL.hostOnly);
  await hdmWrite(h, HDM.baseHi(n), Math.floor(p.base / 2 ** 32));
  await hdmWrite(h, HDM.baseLo(n), p.base % 2 ** 32);
  await hdmWrite(h, HDM.sizeHi(n), Math.floor(p.size / 2 ** 32));
  await hdmWrite(h, HDM.sizeLo(n), p.size % 2 ** 32);
  if (p.targets) {
    let lo = 0;
    let hi = 0;
    p.targets.forEach((t, i) => {
      if (i < 4) lo |= (t & 0xff) << (8 * i);
      else hi |= (t & 0xff) << (8 * (i - 4));
    });
    await hdmWrite(h, HDM.tlHi(n), hi);
    await hdmWrite(h, HDM.tlLo(n), lo);
  } else {
    const skip = p.skip ?? 0;
    await hdmWrite(h, HDM.tlHi(n), Math.floor(skip / 2 ** 32));
    await hdmWrite(h, HDM.tlLo(n), skip % 2 ** 32);
  }
  await hdmWrite(h, HDM.ctrl(n), ctrl);
  return hdmAwaitCommit(h, n, sleep);
}

/** cxld_await_commit: Error Not Committed → clear Commit, -EIO; Committed → 0; 10 ms without either → -ETIMEDOUT. */
export async function hdmAwaitCommit(h: HdmAt, n: number, sleep: (ns: number) => Promise<void>): Promise<CommitOutcome> {
  let ctrl = 0;
  for (let i = 0; i < COMMIT_TIMEOUT_MS; i++) {
    ctrl = await hdmRead(h, HDM.ctrl(n));
    if (ctrl & CTRL.errNotCommitted) {
      await hdmWrite(h, HDM.ctrl(n), ctrl & ~CTRL.commit);
      return { ok: false, errno: -5, ctrl, polls: i + 1, evidence: `Decoder ${n} Control = ${hex(ctrl)} (Error Not Committed=1)` };
    }
    if (ctrl & CTRL.committed) return { ok: true, errno: 0, ctrl, polls: i + 1, evidence: `Decoder ${n} Control = ${hex(ctrl)} (Committed=1)` };
    await sleep(NS_PER_MS);
  }
  return { ok: false, errno: -110, ctrl, polls: COMMIT_TIMEOUT_MS, evidence: `Decoder ${n} Control = ${hex(ctrl)} after ${COMMIT_TIMEOUT_MS} ms (Committed=0, Error Not Committed=0)` };
}

/** cxl_decoder_reset: clear Commit, then zero size and base. */
export async function hdmResetDecoder(h: HdmAt, n: number): Promise<number> {
  const ctrl = await hdmRead(h, HDM.ctrl(n));
  await hdmWrite(h, HDM.ctrl(n), ctrl & ~CTRL.commit);
  await hdmWrite(h, HDM.sizeHi(n), 0);
  await hdmWrite(h, HDM.sizeLo(n), 0);
  await hdmWrite(h, HDM.baseHi(n), 0);
  await hdmWrite(h, HDM.baseLo(n), 0);
  return hdmRead(h, HDM.ctrl(n));
}
