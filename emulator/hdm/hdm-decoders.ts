// An HDM Decoder Capability Structure with the spec's commit semantics (CXL 2.0 8.2.5.12), for an endpoint,
// a switch upstream port or a host bridge's CHBCR. Built with the register engine; behaviour is in two hooks:
//  - a write to Decoder n Control that sets Commit starts a commit: the programming is checked
//    (commit-checks.ts) and, after `commitPolls` reads of that Control register, Committed or Error Not
//    Committed appears (real decoders take time; Linux polls for 10 ms, linux-probe.md 3);
//  - a write that clears Commit decommits, unless decoder n+1 is still committed (out of order: the Commit
//    bit is restored and Error Not Committed set). A locked decoder's Commit bit is RWL and cannot be cleared.
// Lock On Commit locks all of decoder n's RWL fields once it commits, until reset (8.2.5.12.7 / 8.2.5.12.21).
// `generation` changes on every commit, decommit or reset, so the memory path can cache routes.

import { RegisterBlock, type ResetKind } from '../regs/register-block.js';
import { CACHEMEM_RULES } from '../regs/access-rules.js';
import { registerBlockKind, type BlockParams } from '../spec/blocks.js';
import { registerBlockBehaviour } from '../device/behaviours.js';
import { commitError, committedFrom, type CommitContext, type CommittedDecoder, type DecoderProgram } from './commit-checks.js';
import { CAP, CTRL, DEC, HDM_BLOCK_ID, HDM_GLOBAL_CONTROL, decoderOffset, hdmDecoderDecl, HDM_DECODER_STRIDE } from './hdm-decl.js';

export interface HdmDecoderOptions {
  flavour: 'endpoint' | 'port';
  /** Number of decoders (1, 2, 4, 6, 8, ... 32; endpoints at most 16). */
  decoders: number;
  /** Ports: targets per decoder (1, 2, 4, 8). Default 8. */
  targetCount?: number;
  /** Capability bits [12:8] (CAP flags). Default: all granularities, 3/6/12 and 16 ways. */
  capBits?: number;
  /** Reads of the Control register before the commit outcome shows (0 = at once). Default 0. */
  commitPolls?: number;
  /** Ports: whether a downstream port with this port number exists. Default: none (settable later). */
  targetPresent?: (port: number) => boolean;
  /** Endpoints: DPA bytes the decoders may map (the device's capacity). Default 0 (settable later). */
  dpaCapacity?: () => number;
  /** Attach to an already instantiated block of this kind (FunctionAssembly path) instead of creating one. */
  block?: RegisterBlock;
}

interface Pending {
  pollsLeft: number;
  error: string | null;
}

export class HdmDecoders {
  readonly block: RegisterBlock;
  readonly count: number;
  readonly endpoint: boolean;
  /** Bumped on every change of what the decoders decode (commit, decommit, reset, HDM Decoder Enable). */
  generation = 0;
  /** Called after every generation change (the memory path drops its cached routes). */
  private readonly listeners: (() => void)[] = [];
  private lastEnable = false;
  private readonly capability: number;
  private readonly targetCount: number;
  /** Reads of a Control register before a commit outcome shows (settable: a silicon profile may change it). */
  commitPolls: number;
  /** QEMU 7.2 (hdm_decoder_commit) clears the Commit bit when it sets Committed. */
  clearCommitWhenCommitted = false;
  /** Ports: whether a downstream port with this number exists (the topology sets it once ports exist). */
  targetPresent: (port: number) => boolean;
  /** Endpoints: DPA bytes available to decoders (the device sets it from its partition layout). */
  dpaCapacity: () => number;
  private readonly committedList: (CommittedDecoder | null)[];
  private readonly pending: (Pending | null)[];
  /** Commit bit as software last left it, per decoder (to see 0->1 and 1->0 edges). */
  private readonly commitBit: boolean[];
  private readonly errors: (string | null)[];

  constructor(opts: HdmDecoderOptions) {
    this.count = opts.decoders;
    this.endpoint = opts.flavour === 'endpoint';
    this.targetCount = this.endpoint ? 0 : (opts.targetCount ?? 8);
    const capBits = opts.capBits ?? CAP.a11to8 | CAP.a14to12 | CAP.ways3612 | CAP.ways16;
    this.commitPolls = Math.max(0, opts.commitPolls ?? 0);
    this.targetPresent = opts.targetPresent ?? (() => false);
    this.dpaCapacity = opts.dpaCapacity ?? (() => 0);
    this.block =
      opts.block ??
      new RegisterBlock(hdmDecoderDecl({ decoders: this.count, endpoint: this.endpoint ? 1 : 0, targetCount: this.targetCount, capBits }), CACHEMEM_RULES);
    attached.set(this.block, this);
    // The block may be reset by its function (RegisterSpace.reset) without us: follow every reset of the block.
    // (RegisterBlock has no reset hook; wrapping the instance method is the least intrusive way.)
    const blockReset = this.block.reset.bind(this.block);
    this.block.reset = (kind: ResetKind) => {
      blockReset(kind);
      this.afterReset();
    };
    this.capability = this.block.get(0, 4);
    this.committedList = new Array(this.count).fill(null);
    this.pending = new Array(this.count).fill(null);
    this.commitBit = new Array(this.count).fill(false);
    this.errors = new Array(this.count).fill(null);
    this.lastEnable = this.enabled();
    this.block.onWrite(HDM_GLOBAL_CONTROL, () => {
      if (this.enabled() !== this.lastEnable) {
        this.lastEnable = this.enabled();
        this.bump();
      }
    });
    for (let n = 0; n < this.count; n++) {
      const ctrl = decoderOffset(n) + DEC.control;
      this.block.onWrite(ctrl, () => this.controlWritten(n));
      this.block.onRead(ctrl, () => this.controlPolled(n));
    }
  }

  /** Be told whenever what the decoders decode changes. */
  onChange(listener: () => void): void {
    this.listeners.push(listener);
  }

  /** Something outside the decoders that gates decode changed (e.g. DVSEC Mem_Enable): drop cached routes. */
  invalidate(): void {
    this.bump();
  }

  private bump(): void {
    this.generation++;
    for (const l of this.listeners) l();
  }

  /** Block parameters for a PlacedBlock (common/layout.ts). */
  get layoutParams(): Record<string, number> {
    return { decoders: this.count, endpoint: this.endpoint ? 1 : 0, targetCount: this.targetCount };
  }

  /** HDM Decoder Enable (Global Control bit 1) on endpoints; ports decode whenever a decoder is committed. */
  enabled(): boolean {
    return !this.endpoint || (this.block.get(HDM_GLOBAL_CONTROL, 4) & 2) !== 0;
  }

  /** Committed decoders in index order (always decoders 0..k-1: commit is in order). */
  committed(): CommittedDecoder[] {
    return this.committedList.filter((d): d is CommittedDecoder => d !== null);
  }

  /** The committed decoder whose HPA range holds `hpa`, or null. */
  find(hpa: number): CommittedDecoder | null {
    for (const d of this.committedList) {
      if (d && hpa >= d.base && hpa < d.base + d.size) return d;
    }
    return null;
  }

  /** Why decoder n's last commit failed (null if it did not fail). */
  lastError(n: number): string | null {
    return this.errors[n] ?? null;
  }

  /** Conventional reset of the structure: clears commits and locks (8.2.5.12.7: the lock lasts until reset). */
  reset(kind: ResetKind): void {
    this.block.reset(kind);
  }

  private afterReset(): void {
    this.lastEnable = this.enabled();
    this.committedList.fill(null);
    this.pending.fill(null);
    this.commitBit.fill(false);
    this.errors.fill(null);
    this.bump();
  }

  /** Decoder n's programming as its registers hold it now. */
  program(n: number): DecoderProgram {
    const o = decoderOffset(n);
    const b = this.block;
    // Low registers carry bits [31:28] only; `>>> 0` keeps bit 31 unsigned.
    const u64 = (lo: number): number => b.get(o + lo + 4, 4) * 2 ** 32 + ((b.get(o + lo, 4) & 0xf000_0000) >>> 0);
    const ctrl = b.get(o + DEC.control, 4);
    const lo = b.get(o + DEC.listLo, 4);
    const hi = b.get(o + DEC.listHi, 4);
    const targets = [0, 1, 2, 3].map((i) => (lo >>> (8 * i)) & 0xff).concat([0, 1, 2, 3].map((i) => (hi >>> (8 * i)) & 0xff));
    return {
      index: n,
      base: u64(DEC.baseLo),
      size: u64(DEC.sizeLo),
      iw: (ctrl & CTRL.iwMask) >>> CTRL.iwShift,
      ig: ctrl & CTRL.igMask,
      lockOnCommit: (ctrl & CTRL.lockOnCommit) !== 0,
      hostOnly: (ctrl & CTRL.targetTypeHostOnly) !== 0,
      targets,
      skip: this.endpoint ? u64(DEC.listLo) : 0,
    };
  }

  private context(n: number): CommitContext {
    const below: CommittedDecoder[] = [];
    for (let i = 0; i < n; i++) {
      const d = this.committedList[i];
      if (d) below.push(d);
    }
    return {
      endpoint: this.endpoint,
      capability: this.capability,
      targetCount: this.targetCount,
      below,
      targetPresent: this.targetPresent,
      dpaCapacity: this.dpaCapacity,
    };
  }

  private ctrlOffset(n: number): number {
    return decoderOffset(n) + DEC.control;
  }

  private controlWritten(n: number): void {
    const want = (this.block.get(this.ctrlOffset(n), 4) & CTRL.commit) !== 0;
    const had = this.commitBit[n];
    if (want === had) return;
    if (want) this.startCommit(n);
    else this.decommit(n);
  }

  private startCommit(n: number): void {
    this.commitBit[n] = true;
    this.block.setBits(this.ctrlOffset(n), 4, CTRL.committed | CTRL.errorNotCommitted, 0);
    const error = commitError(this.program(n), this.context(n));
    this.pending[n] = { pollsLeft: this.commitPolls, error };
    if (this.commitPolls === 0) this.finishCommit(n);
  }

  private controlPolled(n: number): void {
    const p = this.pending[n];
    if (!p) return;
    if (--p.pollsLeft <= 0) this.finishCommit(n);
  }

  private finishCommit(n: number): void {
    const p = this.pending[n];
    this.pending[n] = null;
    if (!p) return;
    const ctrl = this.ctrlOffset(n);
    this.errors[n] = p.error;
    if (p.error !== null) {
      this.block.setBits(ctrl, 4, CTRL.errorNotCommitted | CTRL.committed, CTRL.errorNotCommitted);
      return;
    }
    const prog = this.program(n);
    this.committedList[n] = committedFrom(prog, this.context(n));
    this.block.setBits(ctrl, 4, CTRL.errorNotCommitted | CTRL.committed, CTRL.committed);
    if (this.clearCommitWhenCommitted) this.block.setBits(ctrl, 4, CTRL.commit, 0);
    if (prog.lockOnCommit) this.block.lock(true, decoderOffset(n), decoderOffset(n) + HDM_DECODER_STRIDE);
    this.bump();
  }

  private decommit(n: number): void {
    const ctrl = this.ctrlOffset(n);
    const next = n + 1 < this.count ? this.committedList[n + 1] !== null || this.pending[n + 1] !== null : false;
    if (next) {
      // Out of order: decoders above n still decode; keep n committed and flag the error.
      this.errors[n] = `decoder ${n + 1} is still committed (decommit in reverse order)`;
      this.block.setBits(ctrl, 4, CTRL.commit | CTRL.errorNotCommitted, CTRL.commit | CTRL.errorNotCommitted);
      return;
    }
    this.commitBit[n] = false;
    this.pending[n] = null;
    this.errors[n] = null;
    this.block.setBits(ctrl, 4, CTRL.committed | CTRL.errorNotCommitted, 0);
    if (this.committedList[n] !== null) {
      this.committedList[n] = null;
      this.bump();
    }
  }
}

const attached = new WeakMap<RegisterBlock, HdmDecoders>();

export const createHdmDecoders = (opts: HdmDecoderOptions): HdmDecoders => new HdmDecoders(opts);

/** The decoder model attached to an HDM block instantiated through the registry (e.g. by createType3). */
export const hdmDecodersOf = (block: RegisterBlock | undefined): HdmDecoders | undefined => (block ? attached.get(block) : undefined);

/** Params as PlacedBlock carries them: decoders, endpoint (or type3) 0/1, targetCount (or targets), capBits. */
const declParams = (p: BlockParams) => ({
  decoders: p.decoders ?? 4,
  endpoint: p.endpoint ?? p.type3 ?? 0,
  targetCount: p.targetCount ?? p.targets,
  capBits: p.capBits,
});

registerBlockKind(HDM_BLOCK_ID, (p) => hdmDecoderDecl(declParams(p)));
// Any function assembled from the registry (Type 3 devices, ports) gets the commit semantics.
registerBlockBehaviour(HDM_BLOCK_ID, (block, ctx) => {
  const d = declParams(ctx.params);
  createHdmDecoders({ flavour: d.endpoint ? 'endpoint' : 'port', decoders: d.decoders, targetCount: d.targetCount, capBits: d.capBits, block });
});
