// The clock a trace is stamped with: the run's virtual clock (which the host's sleeps move and the device's
// timers read) plus the time the emulated accesses took (TimedSink adds it). Kept apart from the device's
// clock on purpose: what a device returns (Get Timestamp, background progress) and what the host writes
// (Set Timestamp) stay exactly as before, so emulated runs remain deterministic and equal to the stored
// captures and silicon runs they are compared with; only the time axis of the trace gains the latencies.

import type { Clock } from '../../common/clock.js';

export class LatencyClock implements Clock {
  private extra = 0;
  constructor(private readonly base: Clock) {}
  now(): number {
    return this.base.now() + this.extra;
  }
  /** Add an access's duration (ns). */
  advance(ns: number): void {
    if (ns > 0) this.extra += ns;
  }
}
