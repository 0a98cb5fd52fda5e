// A host sequence: an async program over Targets (and, for topology-level work, a Platform) that emits steps
// with verdicts and whose accesses land in the run's trace (DESIGN.md 4). Sequences are registered by id in
// host/sequences.ts; the run worker, the CLI and the tests all start them the same way.

import type { Clock } from '../common/clock.js';
import type { Platform } from '../common/platform.js';
import type { Target } from '../common/target.js';
import type { StepTraceRecord, TraceSink } from '../common/trace-sink.js';
import type { KernelId } from './kernels/types.js';

export interface SequenceContext {
  /** Every PCI function of the run by topology path (endpoints may be hardware). */
  readonly targets: ReadonlyMap<string, Target>;
  /** The whole platform when the run has a topology (ECAM, MMIO by address, HPA memory path, CEDT). */
  readonly platform: Platform | null;
  /** Recorder for mailbox records (accesses are recorded by the targets themselves). May be null. */
  readonly sink: TraceSink | null;
  readonly clock: Clock;
  /** Wait: advances a virtual clock instantly, or really sleeps on hardware runs. */
  sleep(ns: number): Promise<void>;
  /** Record a step with its verdict (also written to the trace stream). */
  step(rec: Omit<StepTraceRecord, 'sequence'>): void;
  /** Report progress for long work (drives progress bars in the UI and CLI). */
  progress(done: number, total: number, phase: string): void;
  /** The kernel profile whose rules kernel-dependent sequences apply (host/kernels; default 6.12). */
  readonly kernel?: KernelId;
  /** Set when the user cancels the run; sequences check it between steps. */
  readonly signal: AbortSignal;
}

export interface SequenceResult {
  /** One line for the run list, e.g. "linux-probe: 23 pass, 1 warn, 0 fail". */
  summary: string;
}

export interface Sequence {
  id: string;
  title: string;
  description: string;
  /** Set when the sequence cannot start on its own (replay needs a source run): not offered by runs.start. */
  needsSource?: boolean;
  run(ctx: SequenceContext): Promise<SequenceResult>;
}
