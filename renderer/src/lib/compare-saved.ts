// The saved comparisons list without repeats (issue 15, finding 13): pressing Compare twice on the same pair
// with the same masks and node map saves twice; the list shows the newest of each.
import type { ComparisonInfo } from '../../../main/api/contract.js';

const keyOf = (c: ComparisonInfo): string =>
  JSON.stringify([c.runA, c.runB, [...c.masks].sort(), Object.entries(c.nodeMap).sort(([a], [b]) => a.localeCompare(b))]);

export function dedupeComparisons(list: readonly ComparisonInfo[]): ComparisonInfo[] {
  const newest = new Map<string, ComparisonInfo>();
  for (const c of list) {
    const k = keyOf(c);
    const have = newest.get(k);
    if (!have || c.id > have.id) newest.set(k, c);
  }
  return [...newest.values()].sort((a, b) => b.id - a.id);
}
