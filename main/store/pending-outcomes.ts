// A run's outcome the store refused (disk full, a file-size limit) must not be lost when the process ends
// before the disk has room again (issue 16: "after recovery the cause is lost"). It is appended to a small file
// beside the database, `<db>-outcomes` (one JSON line per run), and the next process that opens the store
// writes it into the run instead of the generic "process stopped"; `runs list` shows it meanwhile.

import { appendFileSync, existsSync, readFileSync, rmSync } from 'node:fs';
import type { RunStatus } from '../api/contract.js';

export interface PendingOutcome {
  runId: number;
  status: RunStatus;
  summary: string;
  endedAt: string;
}

export const outcomesPath = (dbPath: string): string => `${dbPath}-outcomes`;

/** Keep an outcome the store refused; false when even this small write failed. */
export function savePendingOutcome(dbPath: string, o: PendingOutcome): boolean {
  try {
    appendFileSync(outcomesPath(dbPath), JSON.stringify(o) + '\n');
    return true;
  } catch {
    return false;
  }
}

/** The outcomes kept for `dbPath`, by run (the last line for a run wins); lines that do not parse are skipped. */
export function readPendingOutcomes(dbPath: string): Map<number, PendingOutcome> {
  const out = new Map<number, PendingOutcome>();
  const file = outcomesPath(dbPath);
  if (!existsSync(file)) return out;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return out;
  }
  for (const line of text.split('\n')) {
    try {
      const o = JSON.parse(line) as PendingOutcome;
      if (Number.isInteger(o.runId) && typeof o.status === 'string' && typeof o.summary === 'string') out.set(o.runId, o);
    } catch {
      // a torn last line (the disk filled mid-append): nothing to recover from it
    }
  }
  return out;
}

export function clearPendingOutcomes(dbPath: string): void {
  rmSync(outcomesPath(dbPath), { force: true });
}
