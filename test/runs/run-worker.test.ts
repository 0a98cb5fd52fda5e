import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServerEvent } from '../../main/api/contract.js';
import { callApi } from '../../main/api/table.js';
import type { Services } from '../../main/services/services.js';
import { tempServices } from '../api/helpers.js';
import { TEST_EVENTS } from './fixtures/test-sequences.js';

let env: Awaited<ReturnType<typeof tempServices>>;
let s: Services;
let sessionId: number;
const events: ServerEvent[] = [];
beforeAll(async () => {
  env = await tempServices();
  s = env.services;
  s.hub.subscribe((e) => events.push(e));
  sessionId = (await callApi(s, 'sessions.create', { name: 'worker runs' })).id;
});
afterAll(() => env.dispose());

const finished = (runId: number) => events.find((e) => e.type === 'run.finished' && e.runId === runId);

describe('runs in worker threads', () => {
  it('a passing run completes in its worker, streams progress, and its trace pages back', async () => {
    const run = await callApi(s, 'runs.start', { sessionId, sequence: 'test-pass', topology: 'none' });
    expect(run.status).toBe('running');
    expect(await s.runs.wait(run.id)).toBe('passed');

    const detail = await callApi(s, 'runs.get', { id: run.id });
    expect(detail.status).toBe('passed');
    expect(detail.summary).toBe('test-pass: done');
    expect(detail.endedAt).not.toBeNull();
    // 4 x (TEST_EVENTS/4 - 1) accesses + 4 step events.
    expect(detail.eventCount).toBe(TEST_EVENTS);
    expect(detail.stepCounts).toEqual({ pass: 3, warn: 0, fail: 0, info: 1 });
    expect(detail.steps.map((x) => x.name)).toEqual(['start', 'part 1', 'part 3', 'end']);
    expect(detail.steps[0].eventSeq).toBe(0);

    // The step rows point at their step events in the trace.
    const stepRow = await callApi(s, 'trace.page', { runId: run.id, offset: detail.steps[1].eventSeq, limit: 1 });
    expect(stepRow.rows[0]).toMatchObject({ kind: 'step', value: 'part 1', status: 'pass' });

    // A page across a chunk boundary (chunks are 4096 events) comes back dense and in order.
    const page = await callApi(s, 'trace.page', { runId: run.id, offset: 4090, limit: 20 });
    expect(page.total).toBe(TEST_EVENTS);
    expect(page.rows.map((r) => r.seq)).toEqual(Array.from({ length: 20 }, (_, i) => 4090 + i));
    const access = page.rows.find((r) => r.kind === 'access')!;
    expect(access).toMatchObject({ node: 'hb0.rp0.ep0', space: 'mmio', region: 'bar2', width: 4 });

    // Filtered paging: only writes, and the total counts matches only.
    const writes = await callApi(s, 'trace.page', { runId: run.id, offset: 0, limit: 50, filter: { op: 'W' } });
    expect(writes.rows.every((r) => r.op === 'W')).toBe(true);
    expect(writes.total).toBeGreaterThan(4000);
    expect(writes.total).toBeLessThan(TEST_EVENTS / 2 + 1);

    expect(events.some((e) => e.type === 'run.progress' && e.runId === run.id)).toBe(true);
    expect(finished(run.id)).toMatchObject({ status: 'passed' });
    expect(events.some((e) => e.type === 'log' && e.row.runId === run.id)).toBe(true);
  });

  it('a fail verdict makes the run failed', async () => {
    const run = await callApi(s, 'runs.start', { sessionId, sequence: 'test-fail', topology: 'none' });
    expect(await s.runs.wait(run.id)).toBe('failed');
    expect((await callApi(s, 'runs.get', { id: run.id })).stepCounts.fail).toBe(1);
  });

  it('an exception makes the run error, with the reason', async () => {
    const run = await callApi(s, 'runs.start', { sessionId, sequence: 'test-throw', topology: 'none' });
    expect(await s.runs.wait(run.id)).toBe('error');
    const detail = await callApi(s, 'runs.get', { id: run.id });
    expect(detail.summary).toContain('boom at step 2');
    expect(detail.eventCount).toBe(5);
  });

  it('a cancelled run stops at its next step and is interrupted, keeping its events', async () => {
    const run = await callApi(s, 'runs.start', { sessionId, sequence: 'test-slow', topology: 'none' });
    await new Promise<void>((resolve) => {
      const off = s.hub.subscribe((e) => {
        if (e.type === 'run.progress' && e.runId === run.id && e.events > 0) {
          off();
          resolve();
        }
      });
    });
    expect((await callApi(s, 'runs.cancel', { id: run.id })).status).toBe('running');
    expect(await s.runs.wait(run.id)).toBe('interrupted');
    const detail = await callApi(s, 'runs.get', { id: run.id });
    expect(detail.eventCount).toBeGreaterThan(0);
    expect(s.store.chunks.committedEvents(run.id)).toBe(detail.eventCount);
  });

  it('the main thread answers queries while a run executes', async () => {
    const run = await callApi(s, 'runs.start', { sessionId, sequence: 'test-slow', topology: 'none' });
    const t0 = performance.now();
    const list = await callApi(s, 'runs.list', { sessionId });
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(list.find((r) => r.id === run.id)?.status).toBe('running');
    // A session with a run in progress cannot be deleted out from under its worker.
    const del = await callApi(s, 'sessions.delete', { id: sessionId }).catch((e: unknown) => e);
    expect(del).toMatchObject({ code: 'conflict', field: 'id' });
    s.runs.cancel(run.id);
    await s.runs.wait(run.id);
  });
});
