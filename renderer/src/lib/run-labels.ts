// How a run is labelled in the runs list (issue 15, findings 9 and 15): the live bench's console run is 'live'
// (not a run in progress: no progress bar, no Stop), an import with no verdicts is 'imported' (not PASSED).
import type { Run } from '../../../main/api/contract.js';

export const CONSOLE_SEQUENCE = 'console';
export const IMPORT_SEQUENCE = 'import';

export const isConsoleRun = (r: Pick<Run, 'sequence'>): boolean => r.sequence === CONSOLE_SEQUENCE;

/** Still executing a sequence (a live console is open but not "running" a sequence). */
export const inProgress = (r: Pick<Run, 'sequence' | 'status'>): boolean => (r.status === 'running' || r.status === 'queued') && !isConsoleRun(r);

/** The badge text and its style class. */
export function runBadge(r: Pick<Run, 'sequence' | 'status' | 'stepCounts'>): { text: string; cls: string } {
  if (isConsoleRun(r) && r.status === 'running') return { text: 'live', cls: 'status-live' };
  const steps = r.stepCounts.pass + r.stepCounts.warn + r.stepCounts.fail + r.stepCounts.info;
  if (r.sequence === IMPORT_SEQUENCE && r.status === 'passed' && steps === 0) return { text: 'imported', cls: 'status-imported' };
  return { text: r.status, cls: `status-${r.status}` };
}

/** The run to select when none is: the newest that is not an open live console (a side effect of Open live), else none. */
export function defaultRun<T extends Pick<Run, 'id' | 'sequence' | 'status'>>(runs: readonly T[]): T | undefined {
  return runs.find((r) => !(isConsoleRun(r) && r.status === 'running'));
}

/** "12 s" / "3 min 4 s" since `startedAt` (ISO). */
export function elapsed(startedAt: string, now = Date.now()): string {
  const s = Math.max(0, Math.round((now - Date.parse(startedAt)) / 1000));
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${s % 60} s`;
}
