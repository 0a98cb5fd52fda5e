import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { alignKeys } from '../../trace/compare/align.js';
import { myersScript } from '../../trace/compare/myers.js';

/** Check that runs describe a valid alignment; return the number of edits. */
function check(a: number[], b: number[], runs: { op: number[]; len: number[] }): number {
  let i = 0;
  let j = 0;
  let edits = 0;
  let mismatched = 0;
  runs.op.forEach((op, r) => {
    const len = runs.len[r];
    for (let t = 0; t < len; t++) {
      if (op === 0) {
        if (a[i] !== b[j]) mismatched++;
        i++;
        j++;
      } else if (op === 1) {
        i++;
        edits++;
      } else {
        j++;
        edits++;
      }
    }
  });
  expect(mismatched).toBe(0);
  expect(i).toBe(a.length);
  expect(j).toBe(b.length);
  return edits;
}

/** Apply random deletions/insertions; return the edited copy and how many edits were made. */
const edited = fc
  .tuple(fc.array(fc.integer({ min: 0, max: 6 }), { maxLength: 200 }), fc.array(fc.tuple(fc.nat(), fc.boolean(), fc.integer({ min: 0, max: 6 })), { maxLength: 10 }))
  .map(([a, edits]) => {
    const b = a.slice();
    for (const [p, del, k] of edits) {
      if (del && b.length) b.splice(p % b.length, 1);
      else b.splice(p % (b.length + 1), 0, k);
    }
    return { a, b, edits: edits.length };
  });

describe('alignment', () => {
  it('Myers finds a shortest edit script', () => {
    fc.assert(
      fc.property(edited, ({ a, b, edits }) => {
        const s = myersScript(a, 0, a.length, b, 0, b.length, 1000)!;
        const d = check(a, b, { op: s.map((r) => r.op), len: s.map((r) => r.len) });
        expect(d).toBeLessThanOrEqual(edits);
      }),
      { numRuns: 300 },
    );
  });

  it('alignKeys always yields a valid alignment and, on traces with few edits, no more edits than were made', () => {
    fc.assert(
      fc.property(edited, ({ a, b, edits }) => {
        const d = check(a, b, alignKeys(a, b));
        // Short sequences fall inside one window, where the script is optimal; longer ones may cost a little more.
        if (a.length <= 64) expect(d).toBeLessThanOrEqual(edits);
        else expect(d).toBeLessThanOrEqual(edits * 4 + 16);
      }),
      { numRuns: 300 },
    );
  });

  it('recovers a long insertion through unique-key anchors', () => {
    const a = Array.from({ length: 50_000 }, (_, i) => i);
    const b = [...a.slice(0, 20_000), ...Array.from({ length: 30_000 }, (_, i) => 1e6 + i), ...a.slice(20_000)];
    const runs = alignKeys(a, b);
    expect(check(a, b, runs)).toBe(30_000);
    expect(runs.op).toEqual([0, 2, 0]);
  });

  it('stays aligned on a repetitive trace with scattered edits', () => {
    const pattern = [1, 2, 3, 3, 4, 5];
    const a = Array.from({ length: 60_000 }, (_, i) => pattern[i % pattern.length]);
    const b = a.slice();
    for (let p = 59_000; p > 0; p -= 997) b.splice(p, 1);
    const d = check(a, b, alignKeys(a, b));
    expect(d).toBeLessThanOrEqual(60 * 3);
  });

  it('reports a rewritten stretch without common unique keys as replaced, and stays valid', () => {
    const a = Array.from({ length: 100_000 }, (_, i) => i % 7);
    const b = [...a.slice(0, 1000), ...Array.from({ length: 50_000 }, (_, i) => 100 + (i % 5)), ...a.slice(1000)];
    const runs = alignKeys(a, b);
    const d = check(a, b, runs);
    expect(d).toBeGreaterThanOrEqual(50_000);
    expect(runs.op[0]).toBe(0);
    expect(runs.len[0]).toBeGreaterThanOrEqual(1000);
  });
});
