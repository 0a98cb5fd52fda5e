// compare.run / compare.hunks / compare.get of large runs go to a worker (threshold lowered here): the answer is
// the same as the main-thread comparison, hunks page across the worker's window, and the main thread keeps
// answering while the worker compares.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callApi } from '../../main/api/table.js';
import { CompareService } from '../../main/compare/compare-service.js';
import type { Services } from '../../main/services/services.js';
import { tempServices } from '../api/helpers.js';

let env: Awaited<ReturnType<typeof tempServices>>;
let s: Services;
const runs: Record<string, number> = {};
beforeAll(async () => {
  env = await tempServices();
  s = env.services;
  const sessionId = (await callApi(s, 'sessions.create', { name: 'cmp-worker' })).id;
  for (const [key, sequence] of [['a', 'test-pass'], ['v', 'test-variant']]) {
    const run = await callApi(s, 'runs.start', { sessionId, sequence, topology: 'none' });
    await s.runs.wait(run.id);
    runs[key] = run.id;
  }
  s.compare.workerEvents = 0;
});
afterAll(() => env.dispose());

describe('comparisons of large runs in a worker', () => {
  it('give the same summary and hunks as the main-thread comparison', async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 5);
    const r = await callApi(s, 'compare.run', { runA: runs.a, runB: runs.v });
    clearInterval(timer);
    const local = new CompareService(s.store).evaluate({ runA: runs.a, runB: runs.v }, 0, 1000);
    expect({ ...r, compareId: 0 }).toEqual(local.summary);
    expect(r.equal).toBe(false);
    expect(r.compareId).toBeGreaterThan(0);
    // The event loop kept turning while the worker compared.
    expect(ticks).toBeGreaterThan(0);

    const page = await callApi(s, 'compare.hunks', { compareId: r.compareId, offset: 1, limit: 1000 });
    expect(page.total).toBe(r.hunkCount);
    expect(page.rows).toEqual(local.hunks.slice(1));
    expect(await callApi(s, 'compare.get', { compareId: r.compareId })).toEqual(r);
    expect((await callApi(s, 'compare.list', {}))[0]).toMatchObject({ id: r.compareId, runA: runs.a, runB: runs.v });
  });

  it('a missing run is not-found naming it, from the worker too', async () => {
    const e = await callApi(s, 'compare.run', { runA: runs.a, runB: 9999 }).then(() => null, (x: unknown) => x);
    expect(e).toMatchObject({ code: 'not-found', field: 'runB' });
  });
});

describe('saved comparisons (migration 0004)', () => {
  it('keep masks, node map, options and the summary JSON as columns', async () => {
    const r = await callApi(s, 'compare.run', { runA: runs.a, runB: runs.v, masks: ['x.y'], nodeMap: { 'hb0.rp0.ep0': 'hb0.rp0.ep0' } });
    const row = s.store.db.prepare('SELECT masks, node_map, options, summary_json FROM comparisons WHERE id = ?').get(r.compareId) as Record<string, string>;
    expect(JSON.parse(row.masks)).toEqual(['x.y']);
    expect(JSON.parse(row.node_map)).toEqual({ 'hb0.rp0.ep0': 'hb0.rp0.ep0' });
    expect(JSON.parse(row.options)).toEqual({ rebase: false, align: 'node' });
    expect(JSON.parse(row.summary_json)).toEqual(r);
  });
});
