// Step bookkeeping shared by the sequences: records each step through ctx.step, counts verdicts and builds
// the one-line summary the run list shows.

import type { Verdict } from '../../common/trace-sink.js';
import type { SequenceContext } from '../sequence.js';

export class StepLog {
  readonly counts: Record<Verdict, number> = { pass: 0, warn: 0, fail: 0, info: 0 };

  /** Steps recorded, in order (the kernel matrix reads them back). */
  readonly steps: Array<{ name: string; verdict: Verdict; reason: string }> = [];

  constructor(
    private readonly ctx: SequenceContext,
    readonly sequence: string,
    /** "Linux 6.1": appended to every reason, so each verdict names the kernel version whose rules produced it. */
    readonly kernelLabel = '',
  ) {}

  add(verdict: Verdict, name: string, reasonIn: string, evidence?: string): Verdict {
    this.counts[verdict]++;
    const reason = this.kernelLabel && !reasonIn.includes(`${this.kernelLabel}:`) ? `${reasonIn} [${this.kernelLabel}]` : reasonIn;
    this.steps.push({ name, verdict, reason });
    this.ctx.step(evidence === undefined ? { name, verdict, reason } : { name, verdict, reason, evidence });
    return verdict;
  }
  pass(name: string, reason: string, evidence?: string): Verdict {
    return this.add('pass', name, reason, evidence);
  }
  warn(name: string, reason: string, evidence?: string): Verdict {
    return this.add('warn', name, reason, evidence);
  }
  fail(name: string, reason: string, evidence?: string): Verdict {
    return this.add('fail', name, reason, evidence);
  }
  info(name: string, reason: string, evidence?: string): Verdict {
    return this.add('info', name, reason, evidence);
  }

  summary(extra = ''): string {
    const c = this.counts;
    return `${this.sequence}: ${c.pass} pass, ${c.warn} warn, ${c.fail} fail${extra ? `; ${extra}` : ''}`;
  }
}

/** Stop politely between steps when the user cancelled. */
export const cancelled = (ctx: SequenceContext): boolean => ctx.signal.aborted;

/** The targets of a run in topology order (stable for traces and tests). */
export const targetsInOrder = (ctx: SequenceContext) => [...ctx.targets.values()].sort((a, b) => a.node.localeCompare(b.node));

export const mailboxEnv = (ctx: SequenceContext) => ({ sleep: (ns: number) => ctx.sleep(ns), now: () => ctx.clock.now(), sink: ctx.sink });
