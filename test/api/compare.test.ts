import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callApi } from '../../main/api/table.js';
import type { Services } from '../../main/services/services.js';
import { tableCounts, tempServices } from './helpers.js';

let env: Awaited<ReturnType<typeof tempServices>>;
let s: Services;
const runs: Record<string, number> = {};
beforeAll(async () => {
  env = await tempServices();
  s = env.services;
  const sessionId = (await callApi(s, 'sessions.create', { name: 'compare' })).id;
  for (const [key, sequence] of [['a', 'test-pass'], ['b', 'test-pass'], ['v', 'test-variant']]) {
    const run = await callApi(s, 'runs.start', { sessionId, sequence, topology: 'none' });
    await s.runs.wait(run.id);
    runs[key] = run.id;
  }
});
afterAll(() => env.dispose());

describe('compare.run / compare.hunks', () => {
  it('two runs of the same sequence compare equal', async () => {
    const r = await callApi(s, 'compare.run', { runA: runs.a, runB: runs.b });
    expect(r.equal).toBe(true);
    expect(r.firstDivergence).toBeNull();
    expect(r.hunkCount).toBe(0);
    expect(r.events).toMatchObject({ a: 10_000, b: 10_000 });
  });

  it('a changed value and an extra access show up as divergences, decoded, with hunks paged', async () => {
    const r = await callApi(s, 'compare.run', { runA: runs.a, runB: runs.v });
    expect(r.equal).toBe(false);
    expect(r.counts.valueDiffers).toBe(1);
    // Steps differ too: their records name their sequence (test-pass vs test-variant).
    expect(r.firstDivergence).not.toBeNull();
    expect(r.events).toMatchObject({ a: 10_000, b: 10_001 });

    const page = await callApi(s, 'compare.hunks', { compareId: r.compareId, offset: 0, limit: 100 });
    expect(page.total).toBe(r.hunkCount);
    expect(page.rows.map((h) => h.index)).toEqual(Array.from({ length: r.hunkCount }, (_, i) => i));
    const items = page.rows.flatMap((h) => h.items);
    const value = items.find((i) => i.kind === 'value')!;
    expect([value.a!.seq, value.a!.row.value, value.b!.row.value]).toEqual([1234, '0x000004d1', '0x000004c1']); // 1233 ^ 0x10
    expect(value.fields[0]).toMatchObject({ a: '0x4d1', b: '0x4c1', masked: false });
    const extra = items.filter((i) => i.kind === 'only-b' && i.b!.row.kind === 'access');
    expect(extra.map((i) => [i.a, i.b!.row.value])).toEqual([[null, '0x0000abcd']]);
  });

  it('hunks of a comparison no longer in memory are recomputed from the saved inputs', async () => {
    const r = await callApi(s, 'compare.run', { runA: runs.a, runB: runs.v });
    for (let i = 0; i < 5; i++) await callApi(s, 'compare.run', { runA: runs.a, runB: runs.b }); // evict
    const page = await callApi(s, 'compare.hunks', { compareId: r.compareId, offset: 0, limit: 10 });
    expect(page.total).toBe(r.hunkCount);
    expect(page.rows.length).toBe(r.hunkCount);
  });

  it('saved comparisons are listed newest first and reopen with the same summary', async () => {
    const r = await callApi(s, 'compare.run', { runA: runs.a, runB: runs.v, masks: ['x.y'] });
    const list = await callApi(s, 'compare.list', {});
    expect(list[0]).toMatchObject({ id: r.compareId, runA: runs.a, runB: runs.v, masks: ['x.y'] });
    expect(list[0].summary).toMatch(/^1 value,/);
    expect(await callApi(s, 'compare.get', { compareId: r.compareId })).toEqual(r);
    expect(await callApi(s, 'compare.get', { compareId: 9999 }).catch((e: unknown) => e)).toMatchObject({ code: 'not-found', field: 'compareId' });
  });

  it('unknown runs are not-found naming the field, and nothing is saved', async () => {
    const before = tableCounts(s);
    const e = await callApi(s, 'compare.run', { runA: runs.a, runB: 999 }).catch((x: unknown) => x);
    expect(e).toMatchObject({ code: 'not-found', field: 'runB' });
    expect(tableCounts(s)).toEqual(before);
  });
});
