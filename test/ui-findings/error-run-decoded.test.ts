// Issue 15, finding 3: a run that ends in error (here: its endpoint's hardware link does not open) keeps a
// trace that decodes — firmware's config cycles carry register and field names — and its time axis rises.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { callApi } from '../../main/api/table.js';
import type { Services } from '../../main/services/services.js';
import { tempServices } from '../api/helpers.js';

let env: Awaited<ReturnType<typeof tempServices>>;
let s: Services;
beforeAll(async () => {
  env = await tempServices();
  s = env.services;
});
afterAll(() => env.dispose());

it('an error run (link refused) decodes its trace', async () => {
  const sessionId = (await callApi(s, 'sessions.create', { name: 'err' })).id;
  const run = await callApi(s, 'runs.start', { sessionId, topology: 'single', sequence: 'linux-probe', targets: { 'hb0.rp0.ep0': 'etherbone://127.0.0.1:9' } });
  expect(await s.runs.wait(run.id)).toBe('error');
  const page = await callApi(s, 'trace.page', { runId: run.id, offset: 0, limit: 50 });
  expect(page.total).toBeGreaterThan(10);
  const cfg = page.rows.filter((r) => r.kind === 'access' && r.space === 'cfg');
  expect(cfg.length).toBeGreaterThan(5);
  expect(cfg.filter((r) => r.register !== '').length).toBe(cfg.length);
  expect(cfg.some((r) => r.fields !== '')).toBe(true);
  expect(page.rows.at(-1)!.timeNs).toBeGreaterThan(0); // emulated accesses take time (finding 2)
});

it('an emulated probe spreads over time: no two accesses share a stamp, the last is past 100 µs', async () => {
  const sessionId = (await callApi(s, 'sessions.create', { name: 'time' })).id;
  const run = await callApi(s, 'runs.start', { sessionId, topology: 'single', sequence: 'linux-probe' });
  expect(await s.runs.wait(run.id)).toBe('passed');
  const page = await callApi(s, 'trace.page', { runId: run.id, offset: 0, limit: 2000, filter: { space: 'cfg' } });
  const times = page.rows.map((r) => r.timeNs);
  expect(new Set(times).size).toBe(times.length);
  expect(times.at(-1)!).toBeGreaterThan(100_000);
});
