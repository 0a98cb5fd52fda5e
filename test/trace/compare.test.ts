import { describe, expect, it } from 'vitest';
import type { AccessEvent, TraceEvent } from '../../trace/event.js';
import { compareTraces } from '../../trace/compare/index.js';
import { acc, layoutFor, renumber, resolve } from './fixtures.js';

/** A mailbox round trip on ep0 with `polls` busy reads of Control. */
function mailbox(node: string, op: number, polls: number, status = 0n): AccessEvent[] {
  return [
    acc(node, 'bar2', 0x88, 'W', BigInt(op), 8),
    acc(node, 'bar2', 0x84, 'W', 1n),
    ...Array.from({ length: polls }, () => acc(node, 'bar2', 0x84, 'R', 1n)),
    acc(node, 'bar2', 0x84, 'R', 0n),
    acc(node, 'bar2', 0x90, 'R', status, 8),
  ];
}

const cfgWalk = (node: string): AccessEvent[] => Array.from({ length: 16 }, (_, i) => acc(node, 'cfg', i * 4, 'R', BigInt(0x1000 + i)));

function base(node = 'ep0'): TraceEvent[] {
  return renumber([...cfgWalk(node), ...mailbox(node, 0x4000, 3), ...mailbox(node, 0x4100, 2), ...cfgWalk(node), ...mailbox(node, 0x4200, 1)]);
}

const opts = { layoutA: layoutFor('ep0'), layoutB: layoutFor('ep0'), resolve };

describe('compareTraces', () => {
  it('finds identical traces equal', () => {
    const r = compareTraces(base(), base(), opts);
    expect(r.equal).toBe(true);
    expect(r.firstDivergence).toBeNull();
    expect(r.hunkCount).toBe(0);
    // Poll loops folded: 3 busy reads are one entry.
    expect(r.counts.equal).toBe(r.events.entriesA);
    expect(r.events.entriesA).toBeLessThan(r.events.a);
  });

  it('reports an insertion, a deletion, a value change and a poll-count change as exactly four hunks', () => {
    const a = base();
    const b: TraceEvent[] = a.map((e) => ({ ...e }));
    // B: cfg +0x14 missing (A index 5), value of cfg +0x20 changed (A index 8),
    // an extra read of bar2 +0x40 after the first mailbox, and the second mailbox polls 4 times instead of 2.
    (b[8] as AccessEvent).value = 0xdeadn;
    const firstMbxEnd = 16 + 8; // cfg walk + 8 events of mailbox(0x4000, 3)
    const extra = acc('ep0', 'bar2', 0x40, 'R', 7n);
    const secondPolls = [acc('ep0', 'bar2', 0x84, 'R', 1n), acc('ep0', 'bar2', 0x84, 'R', 1n)];
    const bEvents = renumber([
      ...b.slice(0, 5),
      ...b.slice(6, firstMbxEnd),
      extra,
      ...b.slice(firstMbxEnd, firstMbxEnd + 2),
      ...secondPolls,
      ...b.slice(firstMbxEnd + 2),
    ]);
    const r = compareTraces(a, bEvents, opts);
    expect(r.counts).toMatchObject({ valueDiffers: 1, onlyA: 1, onlyB: 1, pollCountDiffers: 1 });
    expect(r.hunkCount).toBe(4);
    const hunks = r.hunksPage(0, 10);
    expect(hunks.map((h) => h.items.map((i) => i.kind))).toEqual([['only-a'], ['value'], ['only-b'], ['poll-count']]);
    expect(hunks[0].items[0].a!.seq).toBe(5);
    expect(hunks[0].items[0].a!.event).toMatchObject({ region: 'cfg', offset: 0x14 });
    expect(hunks[1].items[0]).toMatchObject({ a: { seq: 8 }, b: { seq: 7 } });
    // cfg +0x20 is outside the declared header: the whole value is the one field.
    expect(hunks[1].items[0].fields).toEqual([{ name: 'value', a: 0x1008n, b: 0xdeadn, masked: false }]);
    expect(hunks[2].items[0].b!.event).toMatchObject({ region: 'bar2', offset: 0x40 });
    expect(hunks[2].items[0].text).toContain('(unknown +0x40)');
    expect(hunks[3].items[0]).toMatchObject({ a: { count: 2 }, b: { count: 4 } });
    expect(r.firstDivergence).toMatchObject({ kind: 'only-a', hunk: 0 });
    expect(r.hunksPage(2, 1).map((h) => h.index)).toEqual([2]);
    const control = r.registers.find((s) => s.register.includes('Control') && s.register.endsWith('R4'))!;
    expect(control.pollCountDiffers).toBe(1);
  });

  it('names the differing fields of a value change', () => {
    const a = renumber(mailbox('ep0', 0x4000, 1, 0x1_0000_0000n));
    const b = renumber(mailbox('ep0', 0x4000, 1, 0x0_0000_0000n));
    const r = compareTraces(a, b, opts);
    const [item] = r.hunksPage(0, 1)[0].items;
    expect(item.kind).toBe('value');
    expect(item.fields).toEqual([{ name: 'ReturnCode', a: 1n, b: 0n, masked: false }]);
    expect(item.text).toContain('ReturnCode 0x1 ≠ 0x0');
  });

  it('ignores timestamp fields by default, and user-masked fields', () => {
    const a = renumber(mailbox('ep0', 0x4000, 1, 0x1234n));
    const b = renumber(mailbox('ep0', 0x4000, 1, 0x5678n));
    expect(compareTraces(a, b, opts).equal).toBe(true);
    const strict = compareTraces(a, b, { ...opts, defaultMasks: false });
    expect(strict.hunksPage(0, 1)[0].items[0].fields).toEqual([{ name: 'Timestamp', a: 0x1234n, b: 0x5678n, masked: false }]);
    const c = renumber([acc('ep0', 'bar2', 0x84, 'W', 3n)]);
    const d = renumber([acc('ep0', 'bar2', 0x84, 'W', 1n)]);
    expect(compareTraces(c, d, opts).equal).toBe(false);
    expect(compareTraces(c, d, { ...opts, masks: ['Control.IntEnable'] }).equal).toBe(true);
    expect(compareTraces(c, d, { ...opts, masks: ['test-mailbox.control.intenable'] }).equal).toBe(true);
    expect(compareTraces(c, d, { ...opts, masks: ['Header.Control.IntEnable'] }).equal).toBe(false);
  });

  it('compares a trace with itself equal after BAR rebasing and node mapping', () => {
    const a = base('hb0.rp0.ep0');
    const BAR2 = 0xfe10_0000;
    const b = a.map((e): TraceEvent => {
      if (e.kind !== 'access') return e;
      const node = 'ep0';
      return e.region === 'bar2' ? { ...e, node: 'host', space: 'mem', region: 'hpa', offset: BAR2 + e.offset } : { ...e, node };
    });
    expect(compareTraces(a, b, opts).equal).toBe(false);
    const r = compareTraces(a, b, {
      ...opts,
      layoutA: layoutFor('hb0.rp0.ep0'),
      nodeMap: { 'hb0.rp0.ep0': 'ep0' },
      rebaseB: [{ node: 'host', region: 'hpa', base: BAR2, size: 0x1_0000, to: { node: 'ep0', space: 'mmio', region: 'bar2' } }],
    });
    expect(r.counts).toMatchObject({ valueDiffers: 0, onlyA: 0, onlyB: 0, pollCountDiffers: 0 });
    expect(r.equal).toBe(true);
  });

  it('compares mailbox records by return code and payloads, masking Get Timestamp output', () => {
    const mb = (opcode: number, returnCode: number, outputHex: string): TraceEvent => ({
      kind: 'mailbox', seq: 0, timeNs: 0, node: 'ep0', opcode, name: 'x', returnCode, returnName: String(returnCode), inputHex: '', outputHex,
    });
    expect(compareTraces([mb(0x0300, 0, 'aa')], [mb(0x0300, 0, 'bb')]).equal).toBe(true);
    expect(compareTraces([mb(0x4000, 0, 'aa')], [mb(0x4000, 0, 'bb')]).counts.valueDiffers).toBe(1);
    expect(compareTraces([mb(0x4000, 0, 'aa')], [mb(0x4000, 0, 'bb')], { masks: ['mailbox.0x4000'] }).equal).toBe(true);
  });

  it('folds N identical reads into one entry with a count and keeps the read that differs', () => {
    const reads = (n: number): TraceEvent[] =>
      renumber([...Array.from({ length: n }, () => acc('ep0', 'bar2', 0x84, 'R', 1n)), acc('ep0', 'bar2', 0x84, 'R', 0n)]);
    const r = compareTraces(reads(3), reads(9), opts);
    expect(r.events).toMatchObject({ a: 4, b: 10, entriesA: 2, entriesB: 2 });
    expect(r.counts).toMatchObject({ equal: 1, pollCountDiffers: 1, onlyA: 0, onlyB: 0 });
    const unfolded = compareTraces(reads(3), reads(9), { ...opts, foldPolls: false });
    expect(unfolded.counts).toMatchObject({ onlyB: 6, pollCountDiffers: 0 });
  });

  it('masks serial numbers by default', () => {
    const a = renumber([acc('ep0', 'cfg', 4, 'R', 0x1111n)]);
    const b = renumber([acc('ep0', 'cfg', 4, 'R', 0x2222n)]);
    expect(compareTraces(a, b, opts).equal).toBe(true);
    expect(compareTraces(a, b, { ...opts, defaultMasks: false }).counts.valueDiffers).toBe(1);
  });
});
