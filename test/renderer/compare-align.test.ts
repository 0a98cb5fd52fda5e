import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import type { CompareHunk, CompareItem, CompareSide, TraceRow } from '../../main/api/contract.js';
import { CompareAlignment, stepHunk } from '../../renderer/src/lib/compare-align.js';

const row = (seq: number): TraceRow => ({ seq, timeNs: 0, node: 'n', kind: 'access', space: 'cfg', region: 'cfg', offset: 0, width: 4, op: 'R', value: '0x0', status: 'ok', register: '', fields: '' });
const side = (seq: number, count = 1): CompareSide => ({ seq, count, row: row(seq) });
const item = (kind: CompareItem['kind'], a: CompareSide | null, b: CompareSide | null): CompareItem => ({ kind, a, b, fields: [], text: '' });

/**
 * Two traces built from a list of edits of an equal base: 'keep' (same in both), 'value' (both, differs),
 * 'dropB' (only in A), 'addB' (only in B). Returns the hunks a comparison would report and, for every A event
 * kept in both, the B seq it must line up with.
 */
function scenario(ops: ('keep' | 'value' | 'dropB' | 'addB')[]) {
  const hunks: CompareHunk[] = [];
  const expected: [number, number][] = [];
  let a = 0;
  let b = 0;
  let open: CompareItem[] | null = null;
  const close = () => {
    if (open) hunks.push({ index: hunks.length, items: open });
    open = null;
  };
  for (const op of ops) {
    if (op === 'keep') {
      close();
      expected.push([a++, b++]);
      continue;
    }
    open ??= [];
    if (op === 'value') {
      open.push(item('value', side(a), side(b)));
      expected.push([a++, b++]);
    } else if (op === 'dropB') open.push(item('only-a', side(a++), null));
    else open.push(item('only-b', null, side(b++)));
  }
  close();
  return { hunks, expected };
}

describe('compare alignment', () => {
  test('every event present in both traces maps to its counterpart, both ways', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('keep', 'keep', 'keep', 'value', 'dropB', 'addB'), { maxLength: 80 }), (ops) => {
        const { hunks, expected } = scenario(ops);
        const al = new CompareAlignment();
        al.add(hunks.slice(0, 2));
        al.add(hunks.slice(1)); // pages may overlap: hunks already added are ignored
        for (const [a, b] of expected) {
          expect(al.aToB(a)).toBe(b);
          expect(al.bToA(b)).toBe(a);
        }
      }),
    );
  });

  test('divergent rows are found by seq on each side with their hunk and kind', () => {
    const { hunks } = scenario(['keep', 'value', 'keep', 'dropB', 'dropB', 'keep', 'addB']);
    const al = new CompareAlignment();
    al.add(hunks);
    expect(al.spanAt('a', 0)).toBeNull();
    expect(al.spanAt('a', 1)).toMatchObject({ hunk: 0, kind: 'value' });
    expect(al.spanAt('b', 1)).toMatchObject({ hunk: 0, kind: 'value' });
    expect(al.spanAt('a', 4)).toMatchObject({ hunk: 1, item: 1, kind: 'only-a' });
    expect(al.spanAt('a', 5)).toBeNull();
    expect(al.spanAt('b', 4)).toMatchObject({ hunk: 2, kind: 'only-b' });
    expect(al.aToB(5)).toBe(3); // after two events only in A, B is two behind
  });

  test('a folded poll loop covers its whole run of seqs and shifts the alignment by the count difference', () => {
    const al = new CompareAlignment();
    al.add([{ index: 0, items: [item('poll-count', side(10, 5), side(10, 2))] }]);
    expect(al.spanAt('a', 14)).toMatchObject({ kind: 'poll-count' });
    expect(al.spanAt('a', 15)).toBeNull();
    expect(al.aToB(15)).toBe(12);
    expect(al.bToA(12)).toBe(15);
  });

  test('next/previous divergence stays inside the list; the first press from nowhere picks an end', () => {
    expect(stepHunk(-1, 1, 3)).toBe(0);
    expect(stepHunk(-1, -1, 3)).toBe(2);
    expect(stepHunk(2, 1, 3)).toBe(2);
    expect(stepHunk(0, -1, 3)).toBe(0);
    expect(stepHunk(0, 1, 0)).toBe(-1);
  });
});
