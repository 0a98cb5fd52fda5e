// Issue 15, finding 13: the saved comparisons list keeps the newest of each (pair, masks, node map).
import { expect, it } from 'vitest';
import { dedupeComparisons } from '../../renderer/src/lib/compare-saved.js';

const c = (id: number, runA: number, runB: number, masks: string[] = [], nodeMap: Record<string, string> = {}) => ({ id, sessionId: 1, runA, runB, masks, nodeMap, createdAt: '', summary: '' });

it('repeats collapse to the newest; different masks or maps stay apart', () => {
  const out = dedupeComparisons([c(1, 1, 2), c(2, 1, 2), c(3, 1, 2, ['a.b']), c(4, 1, 2, ['a.b']), c(5, 2, 1), c(6, 1, 2, [], { x: 'y' })]);
  expect(out.map((x) => x.id)).toEqual([6, 5, 4, 2]);
});
