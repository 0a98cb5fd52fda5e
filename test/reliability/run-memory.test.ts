// Issue 16: run memory grew ~32 B per event without bound (5 GB at 134 M events). A run now holds about one
// chunk at a time (TraceBuffer.dropSealed after each write): the peak RSS of a process recording 4 M events
// is that of one recording 1 M, give or take allocator noise. Each is measured in a child process of its own
// (bench/run-memory.ts, the code behind the bench figure run.peak_rss_mib_100m). Unbounded, the difference
// would be ~100 MiB.
import { describe, expect, it } from 'vitest';
import { measureRunMemory } from '../../bench/run-memory.js';

/** MiB the bigger run may add over the smaller one (3 M more events at 32 B would be ~92 MiB). */
const GROWTH_BOUND_MIB = 40;

describe('run memory', () => {
  it(`a 4 M-event run peaks within ${GROWTH_BOUND_MIB} MiB of a 1 M-event run`, () => {
    const small = measureRunMemory(1_000_000);
    const big = measureRunMemory(4_000_000);
    expect(big.events).toBe(4_000_000);
    expect(big.peakRssMib - small.peakRssMib).toBeLessThan(GROWTH_BOUND_MIB);
  });
});
