// The shape of a conformance check and the helpers most checks are made of: read-only registers hold,
// reserved bits read zero, RW1C bits clear. Every helper restores what it wrote, so checks run in any order
// against any endpoint (emulated or silicon) and leave it as they found it.

import type { KernelProfile, KernelRule } from '../../kernels/types.js';
import type { Target } from '../../../common/target.js';
import { hex } from '../../core/bytes.js';
import type { DiscoveredFunction } from '../../core/discover.js';
import type { MailboxClient } from '../../core/mbox.js';

export type CheckVerdict = 'pass' | 'fail' | 'skip';

export interface CheckResult {
  verdict: CheckVerdict;
  evidence: string;
}

/** What a check may use: the target, what enumerate found, an open mailbox, the run's sleep. */
export interface CheckEnv {
  t: Target;
  f: DiscoveredFunction;
  mbox: MailboxClient | null;
  /** Config offset of DVSEC 0 / Register Locator (0 when absent). */
  dvsec0: number;
  dvsec8: number;
  /** Absolute BAR offsets of structures (null when absent). */
  hdm: { bar: number; at: number } | null;
  ras: { bar: number; at: number } | null;
  sleep(ns: number): Promise<void>;
  now(): number;
  /** Cached CEL opcodes (null when unavailable). */
  cel(): Promise<number[] | null>;
  /** The kernel profile probe-related checks judge against (host/kernels). */
  kernel: KernelProfile;
}

export interface ConformanceCheck {
  id: string;
  title: string;
  /** Spec section, e.g. "CXL 2.0 8.1.3". */
  spec: string;
  rationale: string;
  /** The kernel rule a probe-related check depends on; its verdict then names that kernel and rule. */
  kernelRule?: (k: KernelProfile) => KernelRule<unknown>;
  run(e: CheckEnv): Promise<CheckResult>;
}

export const pass = (evidence: string): CheckResult => ({ verdict: 'pass', evidence });
export const fail = (evidence: string): CheckResult => ({ verdict: 'fail', evidence });
export const skip = (evidence: string): CheckResult => ({ verdict: 'skip', evidence });
export const verdict = (ok: boolean, evidence: string): CheckResult => ({ verdict: ok ? 'pass' : 'fail', evidence });

/** A register location: config space or a BAR, 1/2/4 bytes. */
export interface Loc {
  space: 'cfg' | number;
  offset: number;
  width: 1 | 2 | 4;
  name: string;
}
export const cfgLoc = (offset: number, width: 1 | 2 | 4, name: string): Loc => ({ space: 'cfg', offset, width, name });
export const barLoc = (bar: number, offset: number, width: 1 | 2 | 4, name: string): Loc => ({ space: bar, offset, width, name });

export const rd = (e: CheckEnv, l: Loc): Promise<number> => (l.space === 'cfg' ? e.t.cfgRead(l.offset, l.width) : e.t.barRead(l.space, l.offset, l.width));
export const wr = (e: CheckEnv, l: Loc, v: number): Promise<void> => {
  const m = l.width === 4 ? v >>> 0 : v & (2 ** (8 * l.width) - 1);
  return l.space === 'cfg' ? e.t.cfgWrite(l.offset, l.width, m) : e.t.barWrite(l.space, l.offset, l.width, m);
};
const where = (l: Loc): string => `${l.name} (${l.space === 'cfg' ? 'cfg' : `BAR${l.space}`} +${hex(l.offset, 3)})`;
const w = (l: Loc, v: number): string => hex(v >>> 0, l.width * 2);

/** Bits in `mask` are read-only: writing their complement changes nothing. Restores the original value. */
export async function checkReadOnly(e: CheckEnv, l: Loc | null, mask = 0xffff_ffff): Promise<CheckResult> {
  if (!l) return skip('structure not present');
  const m = mask & (l.width === 4 ? 0xffff_ffff : 2 ** (8 * l.width) - 1);
  const before = await rd(e, l);
  await wr(e, l, (before ^ m) >>> 0);
  const after = await rd(e, l);
  await wr(e, l, before);
  const changed = ((before ^ after) & m) >>> 0;
  return verdict(changed === 0, `${where(l)}: ${w(l, before)} → wrote ${w(l, before ^ m)} → read ${w(l, after)}${changed ? `; bits ${w(l, changed)} changed` : ''}`);
}

/** Bits in `mask` are reserved: they read zero, also after software writes ones (RsvdP/RsvdZ). */
export async function checkReservedZero(e: CheckEnv, l: Loc | null, mask: number, writeOnes = true): Promise<CheckResult> {
  if (!l) return skip('structure not present');
  const before = await rd(e, l);
  let after = before;
  if (writeOnes) {
    await wr(e, l, (before | mask) >>> 0);
    after = await rd(e, l);
    await wr(e, l, before);
  }
  const bad = ((before | after) & mask) >>> 0;
  return verdict(bad === 0, `${where(l)} reserved mask ${w(l, mask)}: read ${w(l, before)}${writeOnes ? `, after writing ones ${w(l, after)}` : ''}${bad ? `; reserved bits ${w(l, bad)} set` : ''}`);
}

/** Bits in `mask` are RW: each can be set and cleared. Restores the original value. */
export async function checkReadWrite(e: CheckEnv, l: Loc | null, mask: number): Promise<CheckResult> {
  if (!l) return skip('structure not present');
  const before = await rd(e, l);
  await wr(e, l, (before | mask) >>> 0);
  const set = await rd(e, l);
  await wr(e, l, (before & ~mask) >>> 0);
  const clr = await rd(e, l);
  await wr(e, l, before);
  const ok = ((set & mask) >>> 0) === mask >>> 0 && (clr & mask) === 0;
  return verdict(ok, `${where(l)} bits ${w(l, mask)}: set → ${w(l, set)}, clear → ${w(l, clr)}`);
}

/** RW1C bits: writing 1 never sets a clear bit; a set bit clears on a 1 write. */
export async function checkRw1c(e: CheckEnv, l: Loc | null, mask: number): Promise<CheckResult> {
  if (!l) return skip('structure not present');
  const before = await rd(e, l);
  await wr(e, l, mask);
  const after = await rd(e, l);
  const appeared = (after & ~before & mask) >>> 0;
  const stuck = (before & after & mask) >>> 0;
  return verdict(appeared === 0 && stuck === 0, `${where(l)} RW1C ${w(l, mask)}: before ${w(l, before)}, after writing ones ${w(l, after)}${appeared ? `; bits ${w(l, appeared)} set by the write` : ''}${stuck ? `; bits ${w(l, stuck)} did not clear` : ''}`);
}
