// Issue 15, findings 9 and 15: how runs are labelled and which one is selected by default.
import { describe, expect, it } from 'vitest';
import { defaultRun, elapsed, inProgress, runBadge } from '../../renderer/src/lib/run-labels.js';

const counts = (n = 0) => ({ pass: n, warn: 0, fail: 0, info: 0 });

describe('run labels', () => {
  it('an open live console is "live", not in progress, and never the default selection', () => {
    const consoleRun = { id: 3, sequence: 'console', status: 'running' as const, stepCounts: counts() };
    expect(runBadge(consoleRun)).toEqual({ text: 'live', cls: 'status-live' });
    expect(inProgress(consoleRun)).toBe(false);
    expect(defaultRun([consoleRun])).toBeUndefined();
    expect(defaultRun([consoleRun, { id: 2, sequence: 'linux-probe', status: 'passed' as const }])?.id).toBe(2);
    expect(runBadge({ ...consoleRun, status: 'passed' }).text).toBe('passed'); // closed: what it ended as
  });

  it('an import without verdicts is "imported", with steps it keeps its status', () => {
    expect(runBadge({ sequence: 'import', status: 'passed', stepCounts: counts() }).text).toBe('imported');
    expect(runBadge({ sequence: 'import', status: 'passed', stepCounts: counts(3) }).text).toBe('passed');
    expect(inProgress({ sequence: 'linux-probe', status: 'running' })).toBe(true);
  });

  it('elapsed time reads in seconds, then minutes', () => {
    expect(elapsed('2026-01-01T00:00:00Z', Date.parse('2026-01-01T00:00:17Z'))).toBe('17 s');
    expect(elapsed('2026-01-01T00:00:00Z', Date.parse('2026-01-01T00:03:04Z'))).toBe('3 min 4 s');
  });
});
