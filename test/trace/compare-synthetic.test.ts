import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../common/clock.js';
import { compareTraces } from '../../trace/compare/index.js';
import { emitSyntheticTrace } from '../../trace/synthetic.js';
import { TraceBuffer } from '../../trace/trace-buffer.js';
import { layoutFor, resolve } from './fixtures.js';

const NODES = ['hb0.rp0.ep0', 'hb0.rp1.ep1'];
const layout = NODES.flatMap((n) => layoutFor(n));

function trace(divergence: number): TraceBuffer {
  const clock = new VirtualClock();
  const buf = new TraceBuffer(clock);
  emitSyntheticTrace(buf, clock, { events: 20_000, seed: 5, divergence, nodes: NODES });
  return buf;
}

describe('compareTraces on synthetic runs', () => {
  const a = trace(0);
  const b = trace(0.01);
  const opts = { layoutA: layout, layoutB: layout, resolve };

  it('gives the same result from TraceBuffer columns as from event arrays', () => {
    const fast = compareTraces(a, b, opts);
    const slow = compareTraces(a.events(0, a.count), b.events(0, b.count), opts);
    expect(fast.counts).toEqual(slow.counts);
    expect(fast.registers).toEqual(slow.registers);
    const texts = (r: typeof fast): string[] => r.hunksPage(0, r.hunkCount).flatMap((h) => h.items.map((i) => i.text));
    expect(texts(fast)).toEqual(texts(slow));
  });

  it('finds a perturbed twin different, in proportion to the perturbation, and a twin of itself equal', () => {
    expect(compareTraces(a, trace(0), opts).equal).toBe(true);
    const r = compareTraces(a, b, opts);
    const diffs = r.counts.valueDiffers + r.counts.onlyA + r.counts.onlyB + r.counts.pollCountDiffers;
    // ~1 % of 20 000 accesses perturbed (some land on folded polls or cancel out).
    expect(diffs).toBeGreaterThan(50);
    expect(diffs).toBeLessThan(600);
    expect(r.counts.equal).toBeGreaterThan(0.95 * r.events.entriesA);
    // Decoded by the layout: the doorbell register shows by name in the summary.
    expect(r.registers.some((s) => s.register === 'hb0.rp0.ep0 · Mailbox · Control · R4')).toBe(true);
  });
});
