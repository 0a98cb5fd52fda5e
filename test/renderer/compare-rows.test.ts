import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import type { CompareHunk, CompareItem, CompareSide, TraceRow } from '../../main/api/contract.js';
import { AlignedRows, stepHunk } from '../../renderer/src/lib/compare-rows.js';

const row = (seq: number): TraceRow => ({ seq, timeNs: 0, node: 'n', kind: 'access', space: 'cfg', region: 'cfg', offset: 0, width: 4, op: 'R', value: '0x0', status: 'ok', register: '', fields: '' });
const side = (seq: number, count = 1): CompareSide => ({ seq, count, row: row(seq) });
const item = (kind: CompareItem['kind'], a: CompareSide | null, b: CompareSide | null): CompareItem => ({ kind, a, b, fields: [], text: '' });

type Op = 'keep' | 'value' | 'dropB' | 'addB';

/**
 * Two traces from edits of an equal base: 'keep' (same in both), 'value' (both, differs), 'dropB' (only in
 * A), 'addB' (only in B). Returns the hunks a comparison reports and the rows a diff tool would draw.
 */
function scenario(ops: Op[], baseA = 0, baseB = 0) {
  const hunks: CompareHunk[] = [];
  const rows: { a: number | null; b: number | null; kind: string }[] = [];
  let a = baseA;
  let b = baseB;
  let open: CompareItem[] | null = null;
  const close = () => {
    if (open) hunks.push({ index: hunks.length, items: open });
    open = null;
  };
  for (const op of ops) {
    if (op === 'keep') {
      close();
      rows.push({ a: a++, b: b++, kind: 'equal' });
      continue;
    }
    open ??= [];
    if (op === 'value') {
      open.push(item('value', side(a), side(b)));
      rows.push({ a: a++, b: b++, kind: 'value' });
    } else if (op === 'dropB') {
      open.push(item('only-a', side(a), null));
      rows.push({ a: a++, b: null, kind: 'only-a' });
    } else {
      open.push(item('only-b', null, side(b)));
      rows.push({ a: null, b: b++, kind: 'only-b' });
    }
  }
  close();
  return { hunks, rows, a: { first: baseA, count: a - baseA }, b: { first: baseB, count: b - baseB } };
}

describe('aligned compare rows', () => {
  test('the rows are the diff: equal pairs, value pairs, a gap opposite every one-sided event', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom<Op>('keep', 'keep', 'keep', 'value', 'dropB', 'addB'), { maxLength: 80 }), fc.nat(5), fc.nat(5), (ops, baseA, baseB) => {
        const s = scenario(ops, baseA, baseB);
        const al = new AlignedRows(s.hunks, s.a, s.b);
        expect(al.total).toBe(s.rows.length);
        s.rows.forEach((r, i) => expect(al.rowAt(i)).toMatchObject(r));
        s.rows.forEach((r, i) => {
          if (r.a !== null) expect(al.rowOfSeq('a', r.a)).toBe(i);
          if (r.b !== null) expect(al.rowOfSeq('b', r.b)).toBe(i);
        });
      }),
    );
  });

  test('past the loaded hunks the traces pair 1:1 to their ends', () => {
    const s = scenario(['keep', 'dropB', 'keep', 'keep', 'value', 'keep']);
    const al = new AlignedRows(s.hunks.slice(0, 1), s.a, s.b);
    expect(al.total).toBe(6);
    expect(al.rowAt(4)).toMatchObject({ a: 4, b: 3, kind: 'equal' });
  });

  test('a folded poll loop takes the longer count of rows; the shorter side shows gaps', () => {
    const al = new AlignedRows([{ index: 0, items: [item('poll-count', side(2, 5), side(2, 2))] }], { first: 0, count: 10 }, { first: 0, count: 7 });
    expect([2, 3, 4, 5, 6].map((i) => al.rowAt(i))).toMatchObject([
      { a: 2, b: 2 }, { a: 3, b: 3 }, { a: 4, b: null }, { a: 5, b: null }, { a: 6, b: null },
    ]);
    expect(al.rowAt(7)).toMatchObject({ a: 7, b: 4, kind: 'equal' });
    expect(al.total).toBe(10);
  });

  test('each hunk starts at its first row; paging asks each side only for the seqs on screen', () => {
    const s = scenario(['keep', 'keep', 'value', 'keep', 'addB', 'addB', 'keep']);
    const al = new AlignedRows(s.hunks, s.a, s.b);
    expect(al.rowOfHunk(0)).toBe(2);
    expect(al.rowOfHunk(1)).toBe(4);
    expect(al.rowOfHunk(7)).toBe(-1);
    expect(al.seqRange('a', 4, 2)).toBeNull(); // only-B rows: nothing of A on screen
    expect(al.seqRange('b', 4, 2)).toEqual([4, 5]);
    expect(al.seqRange('a', 0, 100)).toEqual([0, 4]);
  });

  test('next/previous divergence stays inside the list; the first press from nowhere picks an end', () => {
    expect(stepHunk(-1, 1, 3)).toBe(0);
    expect(stepHunk(-1, -1, 3)).toBe(2);
    expect(stepHunk(2, 1, 3)).toBe(2);
    expect(stepHunk(0, -1, 3)).toBe(0);
    expect(stepHunk(0, 1, 0)).toBe(-1);
  });
});
