// The checks a decoder's programming must pass to commit (CXL 2.0 8.2.5.12.7 Control, 8.2.5.12.20 Committing
// Decoder Programming). QEMU commits anything (reference qemu-cxl.md 2: "no sanity checks"); we do not: a
// failed check sets Error Not Committed and leaves the decoder uncommitted, as the spec lets hardware do, so
// software that programs decoders wrongly fails here the way it would on strict silicon.
// Judgement call: CXL 2.0 8.2.5.12.20 lists the consistency checks (Decoder[m+1].Base >= Decoder[m].Base +
// Decoder[m].Size, no wrap-around, size a multiple of 3 for 3/6/12 ways, legal target ports) for a commit with
// Lock On Commit set, and asks software to commit in index order with increasing HPA in that case. We apply
// them to every commit: Linux always commits in index order (cxl_decoder_commit: "out of order commit",
// -EBUSY) with ascending HPA (alloc_region_ref: "HPA order violation"), and refuses committed decoders found
// out of order at probe (init_hdm_decoder: "Committed out of order"), so strictness here costs Linux nothing
// and catches other software that would break on strict silicon.
// Each check returns null (pass) or the reason, which is kept for traces and the register explorer.

import { CAPACITY_UNIT } from './units.js';
import { igToGranularity, iwToWays } from '../interleave/encoding.js';
import { interleaveSelectBits } from '../interleave/address-math.js';
import { CAP } from './hdm-decl.js';

/** A decoder's programming as read from its registers. */
export interface DecoderProgram {
  index: number;
  base: number;
  size: number;
  iw: number;
  ig: number;
  lockOnCommit: boolean;
  hostOnly: boolean;
  /** Ports: the target list bytes (8). Endpoints: unused. */
  targets: number[];
  /** Endpoints: DPA skip in bytes. Ports: 0. */
  skip: number;
}

/** What a committed decoder decodes (a snapshot taken at commit; later register writes do not change it). */
export interface CommittedDecoder {
  index: number;
  base: number;
  size: number;
  ways: number;
  granularity: number;
  /** Ports: port numbers of ways 0..ways-1. */
  targets: number[];
  /** Endpoints: first DPA this decoder maps (previous decoders' DPA + this decoder's skip). */
  dpaBase: number;
  /** Endpoints: bytes of DPA this decoder maps (size / ways). */
  dpaSize: number;
  hostOnly: boolean;
  locked: boolean;
}

export interface CommitContext {
  endpoint: boolean;
  capability: number;
  targetCount: number;
  /** Committed decoders below this one (indices < n), in order. */
  below: readonly CommittedDecoder[];
  targetPresent: (port: number) => boolean;
  dpaCapacity: () => number;
}

type Check = (p: DecoderProgram, c: CommitContext) => string | null;

const waysOf = (p: DecoderProgram): number => iwToWays(p.iw) ?? 0;

export const COMMIT_CHECKS: readonly Check[] = [
  (p, c) => (p.index > 0 && c.below.length !== p.index ? `decoder ${p.index - 1} is not committed (decoders commit in index order)` : null),
  (p) => (iwToWays(p.iw) === null ? `IW ${p.iw} is a reserved encoding` : null),
  (p, c) => {
    const w = waysOf(p);
    if (w % 3 === 0 && (c.capability & CAP.ways3612) === 0) return `${w}-way interleave is not supported (capability bit 11 clear)`;
    if (w === 16 && (c.capability & CAP.ways16) === 0) return '16-way interleave is not supported (capability bit 12 clear)';
    if (!c.endpoint && w > c.targetCount) return `${w} ways exceed the ${c.targetCount} targets per decoder this port has`;
    return null;
  },
  (p, c) => {
    const g = igToGranularity(p.ig);
    if (g === null) return `IG ${p.ig} is a reserved encoding`;
    // 8.2.5.12.1: A11to8 / A14to12 say which HPA bits the component can interleave on; what matters is the bits
    // this decoder's selection reads (8+IG .. 8+IG+log2(ways)-1), not the granularity alone. A 1- or 3-way
    // decoder reads no particular bits. Bits 15 and up need no capability bit (there is none for them);
    // Linux check_interleave_cap refuses them, which the region sequence mirrors.
    const bits = interleaveSelectBits(waysOf(p), g);
    if (bits === null) return null;
    const uses = (lo: number, hi: number): boolean => bits.lo <= hi && bits.hi >= lo;
    const range = `HPA bits ${bits.hi}:${bits.lo}`;
    if (uses(8, 11) && (c.capability & CAP.a11to8) === 0) return `${waysOf(p)}-way x ${g} B interleaves on ${range}, which needs A11to8 interleave capability`;
    if (uses(12, 14) && (c.capability & CAP.a14to12) === 0) return `${waysOf(p)}-way x ${g} B interleaves on ${range}, which needs A14to12 interleave capability`;
    return null;
  },
  (p) => (p.base % CAPACITY_UNIT !== 0 ? 'base is not 256 MiB aligned' : null),
  (p) => {
    const w = waysOf(p);
    return p.size % (CAPACITY_UNIT * w) !== 0 ? `size is not a multiple of 256 MiB x ${w} ways` : null;
  },
  (p, c) => {
    const prev = c.below[c.below.length - 1];
    if (prev && p.size > 0 && p.base < prev.base + prev.size) {
      return p.base < prev.base
        ? `base is below decoder ${prev.index}'s base (HPA must increase with the decoder index)`
        : `range overlaps decoder ${prev.index}`;
    }
    return null;
  },
  (p, c) => {
    if (c.endpoint) return null;
    for (let w = 0; w < waysOf(p); w++) {
      if (!c.targetPresent(p.targets[w])) return `target ${w} names port ${p.targets[w]}, which is not present`;
    }
    return null;
  },
  (p, c) => {
    if (!c.endpoint) return null;
    const used = c.below.reduce((m, d) => Math.max(m, d.dpaBase + d.dpaSize), 0);
    const end = used + p.skip + p.size / waysOf(p);
    const cap = c.dpaCapacity();
    return end > cap ? `DPA exhausted: skip + size / ways ends at 0x${end.toString(16)}, capacity is 0x${cap.toString(16)}` : null;
  },
];

/** The first failed check's reason, or null when the programming may commit. */
export const commitError = (p: DecoderProgram, c: CommitContext): string | null => {
  for (const check of COMMIT_CHECKS) {
    const e = check(p, c);
    if (e !== null) return e;
  }
  return null;
};

export const committedFrom = (p: DecoderProgram, c: CommitContext): CommittedDecoder => {
  const ways = waysOf(p);
  const used = c.below.reduce((m, d) => Math.max(m, d.dpaBase + d.dpaSize), 0);
  return {
    index: p.index,
    base: p.base,
    size: p.size,
    ways,
    granularity: igToGranularity(p.ig) ?? 256,
    targets: c.endpoint ? [] : p.targets.slice(0, ways),
    dpaBase: c.endpoint ? used + p.skip : 0,
    dpaSize: c.endpoint ? p.size / ways : 0,
    hostOnly: p.hostOnly,
    locked: p.lockOnCommit,
  };
};
