// Replay then compare (docs/qemu-comparison.md 2): runs.replay starts a run that re-issues the source run's
// accesses on our emulation; when run.finished arrives, compare.run (source, replay) with the node map the replay
// used. Progress comes from the run.progress events meanwhile. Pure: it needs only the BenchApi.
import type { BenchApi, CompareSummary, Run, RunReplayInput, RunStatus } from '../../../main/api/contract.js';

export interface ReplayProgress {
  runId: number;
  done: number;
  total: number;
  phase: string;
  events: number;
}

export interface ReplayOutcome {
  source: Run;
  run: Run;
  nodeMap: Record<string, string>;
  status: RunStatus;
  summary: CompareSummary;
}

/** Statuses a replay may end in and still be compared: it ran to its end ('failed' only means steps failed). */
const COMPARABLE: ReadonlySet<RunStatus> = new Set(['passed', 'failed']);
const POLL_MS = 500;

/**
 * Replay `input.sourceRunId` and compare it with its source. Listens before starting so a quick run's
 * run.finished cannot be missed, and also polls runs.get in case the event stream dropped it.
 * Rejects (an Error whose message a user can act on) when the replay ends in error or is interrupted.
 */
export async function replayAndCompare(
  api: BenchApi,
  input: RunReplayInput,
  onProgress: (p: ReplayProgress) => void = () => {},
  pollMs = POLL_MS,
): Promise<ReplayOutcome> {
  const finished = new Map<number, { status: RunStatus; summary: string }>();
  let wake: () => void = () => {};
  const unsubscribe = api.subscribe((ev) => {
    if (ev.type === 'run.progress') onProgress({ runId: ev.runId, done: ev.done, total: ev.total, phase: ev.phase, events: ev.events });
    else if (ev.type === 'run.finished') {
      finished.set(ev.runId, { status: ev.status, summary: ev.summary });
      wake();
    }
  });
  try {
    const started = await api.call('runs.replay', input);
    const id = started.run.id;
    let end = finished.get(id);
    while (!end) {
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, pollMs);
        wake = () => {
          clearTimeout(t);
          resolve();
        };
      });
      end = finished.get(id);
      if (!end) {
        const d = await api.call('runs.get', { id });
        if (d.status !== 'running' && d.status !== 'queued') end = { status: d.status, summary: d.summary ?? '' };
      }
    }
    if (!COMPARABLE.has(end.status)) throw new Error(`replay run #${id} ended ${end.status}${end.summary ? `: ${end.summary}` : ''}`);
    const runA = started.source.id;
    const nodeMap = started.nodeMap;
    const summary = await api.call('compare.run', { runA, runB: id, ...(Object.keys(nodeMap).length ? { nodeMap } : {}) });
    return { source: started.source, run: { ...started.run, status: end.status }, nodeMap, status: end.status, summary };
  } finally {
    unsubscribe();
  }
}

/** "a→b, c→d" for a node map, or "" when it maps nothing. */
export function describeNodeMap(map: Record<string, string>): string {
  return Object.entries(map)
    .filter(([from, to]) => from !== to)
    .map(([from, to]) => `${from}→${to}`)
    .join(', ');
}
