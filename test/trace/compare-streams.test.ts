// Per-node alignment and structure-relative keys (issue 14): the same devices' traffic in two interleavings
// aligns; a structure at another offset aligns on its registers and is reported moved once; one node pair can
// be compared alone; per-device and per-structure summaries add up to the counts.
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../common/clock.js';
import type { Layout } from '../../common/layout.js';
import { compareTraces, moveText } from '../../trace/compare/index.js';
import type { TraceEvent } from '../../trace/event.js';
import { emitSyntheticTrace } from '../../trace/synthetic.js';
import { TraceBuffer } from '../../trace/trace-buffer.js';
import { acc, layoutFor, renumber, resolve } from './fixtures.js';

const NODES = ['hb0.rp0.ep0', 'hb0.rp1.ep1'];

function interleaved(seed: number, events = 20_000, divergence = 0): TraceBuffer {
  const clock = new VirtualClock();
  const buf = new TraceBuffer(clock);
  emitSyntheticTrace(buf, clock, { events, seed: 5, nodes: NODES, interleaveSeed: seed, divergence });
  return buf;
}

const sum = (c: { equal: number; valueDiffers: number; onlyA: number; onlyB: number; pollCountDiffers: number }): number =>
  c.equal + c.valueDiffers + c.onlyA + c.onlyB + c.pollCountDiffers;

describe('per-node alignment', () => {
  it('aligns two devices probed in two different interleavings (≥ 99 %), where one global alignment cannot', () => {
    const a = interleaved(1);
    const b = interleaved(2);
    const byNode = compareTraces(a, b);
    expect(byNode.alignment.mode).toBe('node');
    expect(byNode.alignment.ratio).toBeGreaterThanOrEqual(0.99);
    expect(byNode.counts.valueDiffers).toBe(0);
    const global = compareTraces(a, b, { align: 'global' });
    expect(global.alignment.ratio).toBeLessThan(0.9);
    // Same traffic in the same interleaving: equal in both modes.
    expect(compareTraces(a, interleaved(1)).equal).toBe(true);
    expect(compareTraces(a, interleaved(1), { align: 'global' }).equal).toBe(true);
  });

  it('still finds the divergences of a perturbed twin, and devices add up to the counts', () => {
    const r = compareTraces(interleaved(1), interleaved(2, 20_000, 0.01));
    expect(r.equal).toBe(false);
    expect(r.counts.valueDiffers).toBeGreaterThan(0);
    expect(r.alignment.ratio).toBeGreaterThan(0.97);
    const devices = r.devices.filter((d) => NODES.includes(d.node));
    expect(devices.map((d) => d.node).sort()).toEqual(NODES);
    expect(r.devices.reduce((n, d) => n + sum(d), 0)).toBe(sum(r.counts));
    expect(r.structures.reduce((n, d) => n + sum(d), 0)).toBe(sum(r.counts));
    // Display order: every hunk's items come from A in recorded order.
    const seqs = r.hunksPage(0, r.hunkCount).flatMap((h) => h.items.filter((i) => i.a).map((i) => i.a!.seq));
    expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
  });

  it('compares one node pair alone (node, with a node map for A)', () => {
    const a = interleaved(1);
    const b = interleaved(2);
    const r = compareTraces(a, b, { node: 'hb0.rp1.ep1' });
    expect(r.alignment.streams).toBe(1);
    expect(r.devices.map((d) => d.node)).toEqual(['hb0.rp1.ep1']);
    // A's ep0 against B's ep1: different traffic, compared as one pair.
    const cross = compareTraces(a, b, { node: 'hb0.rp1.ep1', nodeMap: { 'hb0.rp0.ep0': 'hb0.rp1.ep1', 'hb0.rp1.ep1': 'other' } });
    expect(cross.equal).toBe(false);
    expect(cross.devices.map((d) => d.node)).toEqual(['hb0.rp1.ep1']);
  });

  it('puts a step in the stream of the node its name starts with', () => {
    const step = (name: string): TraceEvent => ({ kind: 'step', seq: 0, timeNs: 0, sequence: 's', name, verdict: 'pass', reason: '' });
    const a = renumber<TraceEvent>([acc('ep0', 'cfg', 0, 'R', 1n), step('ep0: one'), acc('ep1', 'cfg', 0, 'R', 2n), step('ep1: one')]);
    const b = renumber<TraceEvent>([acc('ep1', 'cfg', 0, 'R', 2n), step('ep1: one'), acc('ep0', 'cfg', 0, 'R', 1n), step('ep0: one')]);
    const r = compareTraces(a, b);
    expect(r.equal).toBe(true);
    expect(r.devices.map((d) => d.node).sort()).toEqual(['ep0', 'ep1']);
  });
});

describe('structure-relative keys', () => {
  const moved = (base: number): Layout => [{ ...layoutFor('ep0')[0], blocks: [{ region: 'cfg', base, block: 'test-header' }, { region: 'bar2', base: 0x80, block: 'test-mailbox' }] }];

  it('aligns a structure at another offset on its registers, reports the move once and compares its fields', () => {
    // A: header at 0x40; B: header at 0x48. ID equal, Serial (masked by default) differs, an undeclared offset
    // inside the block (+0xc) equal, the Device field of a second ID read differs.
    const a = renumber([acc('ep0', 'cfg', 0x40, 'R', 0x12348086n), acc('ep0', 'cfg', 0x44, 'R', 1n), acc('ep0', 'cfg', 0x4c, 'R', 7n), acc('ep0', 'cfg', 0x40, 'W', 0n), acc('ep0', 'cfg', 0x40, 'R', 0x12348086n)]);
    const b = renumber([acc('ep0', 'cfg', 0x48, 'R', 0x12348086n), acc('ep0', 'cfg', 0x4c, 'R', 2n), acc('ep0', 'cfg', 0x54, 'R', 7n), acc('ep0', 'cfg', 0x48, 'W', 0n), acc('ep0', 'cfg', 0x48, 'R', 0x55558086n)]);
    const r = compareTraces(a, b, { layoutA: moved(0x40), layoutB: moved(0x48), resolve });
    expect(r.counts).toMatchObject({ equal: 4, valueDiffers: 1, onlyA: 0, onlyB: 0 });
    expect(r.moves).toEqual([{ node: 'ep0', structure: 'Header', region: 'cfg', a: 0x40, b: 0x48 }]);
    expect(moveText(r.moves[0])).toBe('moved: ep0 · Header cfg 0x40 → 0x48');
    const st = r.structures.find((s) => s.structure === 'Header')!;
    expect(st).toMatchObject({ node: 'ep0', equal: 4, valueDiffers: 1, moved: { region: 'cfg', a: 0x40, b: 0x48 } });
    expect(r.devices).toEqual([expect.objectContaining({ node: 'ep0', moved: 1 })]);
    const d = r.hunksPage(0, 1)[0].items[0];
    expect(d.fields!.filter((f) => !f.masked).map((f) => f.name)).toEqual(['Device']);
    // The same traces decoded with one layout for both: nothing aligns on the moved offsets.
    const one = compareTraces(a, b, { layoutA: moved(0x40), layoutB: moved(0x40), resolve });
    expect(one.counts.onlyA).toBeGreaterThan(0);
    expect(one.moves).toEqual([]);
  });
});
