import { describe, expect, it } from 'vitest';
import type { CompareHunk, CompareItem } from '../../main/api/contract.js';
import { divergenceMarks } from '../../renderer/src/lib/divergence-marks.js';

const side = (seq: number) => ({ seq, count: 1, row: {} as never });
const item = (kind: CompareItem['kind'], a: number | null, b: number | null): CompareItem => ({ kind, a: a === null ? null : side(a), b: b === null ? null : side(b), fields: [], text: '' });

describe('divergenceMarks', () => {
  it('places each hunk by A position (B position for B-only hunks), coloured by its first item, thinned past max', () => {
    const hunks: CompareHunk[] = [
      { index: 0, items: [item('value', 10, 10)] },
      { index: 1, items: [item('only-b', null, 50), item('only-b', null, 51)] },
      { index: 2, items: [item('only-a', 90, null)] },
    ];
    expect(divergenceMarks(hunks, 100, 200)).toEqual([
      { hunk: 0, at: 0.1, kind: 'value', size: 1 },
      { hunk: 1, at: 0.25, kind: 'only-b', size: 2 },
      { hunk: 2, at: 0.9, kind: 'only-a', size: 1 },
    ]);
    const many = Array.from({ length: 10 }, (_, i): CompareHunk => ({ index: i, items: [item('value', i, i)] }));
    expect(divergenceMarks(many, 10, 10, 5).map((m) => m.hunk)).toEqual([0, 2, 4, 6, 8]);
  });
});
