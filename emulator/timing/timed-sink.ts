// A TraceSink that moves the trace's clock by each access's modelled latency (latency-profiles.ts): the event
// is stamped when the access is issued, then the clock advances by its duration, so the next event starts
// after it — an emulated trace gets the time axis a hardware trace has (issue 15, finding 2).
// Nodes take their endpoint's profile; ports, host bridges and the platform take `fallback`.

import type { MailboxTraceRecord, StepTraceRecord, TraceSink } from '../../common/trace-sink.js';
import { latencyModel, type LatencyModel } from './latency-profiles.js';

const SPACE_CFG = 0; // common/access.ts SPACES: cfg, mmio, mem
const SPACE_MMIO = 1;

export class TimedSink implements TraceSink {
  private readonly models: LatencyModel[] = [];
  private readonly fallback: LatencyModel;
  private pendingNs = 0;

  constructor(
    private readonly inner: TraceSink,
    /** What the durations move: the trace's LatencyClock (latency-clock.ts). */
    private readonly clock: { advance(ns: number): void },
    /** Node path -> device profile (endpoints); others use `fallbackProfile`. */
    private readonly profiles: Readonly<Record<string, string>> = {},
    fallbackProfile = 'spec',
  ) {
    this.fallback = latencyModel(fallbackProfile);
  }

  nodeId(path: string): number {
    const id = this.inner.nodeId(path);
    this.models[id] ??= this.profiles[path] !== undefined ? latencyModel(this.profiles[path]) : this.fallback;
    return id;
  }

  access(node: number, space: number, region: number, offset: number, width: number, op: number, lo: number, hi: number, status: number): void {
    this.inner.access(node, space, region, offset, width, op, lo, hi, status);
    const m = this.models[node] ?? this.fallback;
    const write = op === 1;
    this.clock.advance(this.pendingNs);
    this.pendingNs = 0;
    this.clock.advance(space === SPACE_CFG ? (write ? m.cfgWriteNs : m.cfgReadNs) : space === SPACE_MMIO ? (write ? m.mmioWriteNs : m.mmioReadNs) : write ? m.memWriteNs : m.memReadNs);
  }

  /**
   * The device at `path` executed a command (inside the doorbell write): its execution time is added after that
   * write is stamped, so the doorbell write sits at issue and the host's next poll after completion.
   */
  commandExecuted(path: string, opcode: number): void {
    const m = this.models[this.nodeId(path)] ?? this.fallback;
    this.pendingNs += m.mailboxOpNs?.[opcode] ?? m.mailboxNs;
  }

  /** Mailbox records come from the host's client after completion: already timed by the accesses around them. */
  mailbox(node: number, rec: MailboxTraceRecord): void {
    this.inner.mailbox(node, rec);
  }

  step(rec: StepTraceRecord): void {
    this.inner.step(rec);
  }
}
