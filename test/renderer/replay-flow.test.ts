import { describe, expect, test } from 'vitest';
import type { BenchApi, Run, ServerEvent } from '../../main/api/contract.js';
import { describeNodeMap, replayAndCompare, type ReplayProgress } from '../../renderer/src/lib/replay-flow.js';

const run = (id: number, status: Run['status']): Run => ({
  id,
  sessionId: 1,
  sequence: id === 1 ? 'import' : 'replay',
  topology: 'single',
  targets: '',
  status,
  startedAt: '2026-01-01T00:00:00Z',
  endedAt: null,
  eventCount: 10,
  stepCounts: { pass: 0, warn: 0, fail: 0, info: 0 },
  summary: null,
});

/** A fake API: runs.replay starts run 2; `finish` decides how and when it ends. */
function fakeApi(finish: (emit: (ev: ServerEvent) => void) => void, getStatus: () => Run['status'] = () => 'running') {
  const listeners = new Set<(ev: ServerEvent) => void>();
  const calls: { name: string; input: unknown }[] = [];
  const emit = (ev: ServerEvent) => listeners.forEach((l) => l(ev));
  const api = {
    async call(name: string, input: unknown) {
      calls.push({ name, input });
      if (name === 'runs.replay') {
        finish(emit);
        return { run: run(2, 'running'), source: run(1, 'passed'), nodeMap: { '0c:00.0': 'hb0.rp0' } };
      }
      if (name === 'runs.get') return { ...run(2, getStatus()), steps: [] };
      if (name === 'compare.run') return { compareId: 7, runA: 1, runB: 2, equal: false, hunkCount: 3 };
      throw new Error(`unexpected ${name}`);
    },
    subscribe(l: (ev: ServerEvent) => void) {
      listeners.add(l);
      return () => listeners.delete(l);
    },
  } as unknown as BenchApi;
  return { api, calls, listeners };
}

describe('replay then compare', () => {
  test('compares source with replay using the node map the replay used, once run.finished arrives', async () => {
    const seen: ReplayProgress[] = [];
    const { api, calls, listeners } = fakeApi((emit) =>
      setTimeout(() => {
        emit({ type: 'run.progress', runId: 2, done: 5, total: 10, phase: 'replay', events: 5 });
        emit({ type: 'run.finished', runId: 2, status: 'failed', summary: 'done' });
      }, 5),
    );
    const out = await replayAndCompare(api, { sessionId: 1, sourceRunId: 1, profile: 'qemu' }, (p) => seen.push(p), 10_000);
    expect(calls.map((c) => c.name)).toEqual(['runs.replay', 'compare.run']);
    expect(calls[0]!.input).toEqual({ sessionId: 1, sourceRunId: 1, profile: 'qemu' });
    expect(calls[1]!.input).toEqual({ runA: 1, runB: 2, nodeMap: { '0c:00.0': 'hb0.rp0' } });
    expect(seen).toEqual([{ runId: 2, done: 5, total: 10, phase: 'replay', events: 5 }]);
    expect(out.summary.compareId).toBe(7);
    expect(out.status).toBe('failed');
    expect(listeners.size).toBe(0); // unsubscribed
  });

  test('a run.finished that arrives before runs.replay answers is not missed', async () => {
    const { api, calls } = fakeApi((emit) => emit({ type: 'run.finished', runId: 2, status: 'passed', summary: '' }));
    const out = await replayAndCompare(api, { sessionId: 1, sourceRunId: 1 }, () => {}, 10_000);
    expect(out.status).toBe('passed');
    expect(calls.map((c) => c.name)).toEqual(['runs.replay', 'compare.run']);
  });

  test('a dropped run.finished is found by polling runs.get', async () => {
    let status: Run['status'] = 'running';
    setTimeout(() => (status = 'passed'), 20);
    const { api, calls } = fakeApi(() => {}, () => status);
    const out = await replayAndCompare(api, { sessionId: 1, sourceRunId: 1 }, () => {}, 5);
    expect(out.status).toBe('passed');
    expect(calls.filter((c) => c.name === 'runs.get').length).toBeGreaterThan(0);
    expect(calls.at(-1)!.name).toBe('compare.run');
  });

  test('a replay that ends in error is reported, not compared', async () => {
    const { api, calls } = fakeApi((emit) => emit({ type: 'run.finished', runId: 2, status: 'error', summary: 'no such node' }));
    await expect(replayAndCompare(api, { sessionId: 1, sourceRunId: 1 }, () => {}, 10_000)).rejects.toThrow('replay run #2 ended error: no such node');
    expect(calls.map((c) => c.name)).toEqual(['runs.replay']);
  });

  test('the node map reads as from→to, identity pairs left out', () => {
    expect(describeNodeMap({ a: 'b', c: 'c', d: 'e' })).toBe('a→b, d→e');
    expect(describeNodeMap({})).toBe('');
  });
});
