// Virtual time, injected into everything that has a notion of time (background operations, timestamps,
// commit latency, host polling), so runs are deterministic and tests do not sleep (DESIGN.md section 2).

export interface Clock {
  /** Nanoseconds since the clock's epoch (run start). */
  now(): number;
}

/** A clock that only moves when told to. Host-side polling advances it by the poll interval. */
export class VirtualClock implements Clock {
  private t = 0;
  now(): number {
    return this.t;
  }
  advance(ns: number): void {
    if (ns > 0) this.t += ns;
  }
  set(ns: number): void {
    this.t = ns;
  }
}

/** Wall-clock time from an origin, for hardware runs. Uses performance.now (available in Node and browsers). */
export class WallClock implements Clock {
  private readonly origin = performance.now();
  now(): number {
    return Math.round((performance.now() - this.origin) * 1e6);
  }
}

export const NS_PER_MS = 1_000_000;
export const NS_PER_S = 1_000_000_000;
