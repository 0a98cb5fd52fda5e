// A comparison computed off the main thread (DESIGN.md 6: "runs never block the UI" holds for compares too):
// the run worker's entry, given a CompareJob as workerData, opens the database read-only, compares, and posts
// back the summary and one window of hunks. compare-service.ts sends jobs for comparisons of many events.

import { openStore } from '../store/store.js';
import type { CompareHunk, CompareInput, CompareSummary } from '../api/contract.js';
import { ApiError, toErrorBody } from '../api/api-error.js';
import type { ApiErrorBody } from '../api/contract.js';
import { startModuleWorker, runWorkerEntry } from '../runs/worker-entry.js';
import { CompareService } from './compare-service.js';

export interface CompareJob {
  kind: 'compare';
  dbPath: string;
  input: CompareInput;
  hunkOffset: number;
  hunkLimit: number;
}

export type CompareJobResult = { ok: true; summary: CompareSummary; hunks: CompareHunk[] } | { ok: false; error: ApiErrorBody };

export const isCompareJob = (x: unknown): x is CompareJob => typeof x === 'object' && x !== null && (x as CompareJob).kind === 'compare';

/** Worker side. */
export function runCompareJob(job: CompareJob): CompareJobResult {
  const store = openStore(job.dbPath, { migrate: false, recover: false, readonly: true });
  try {
    return { ok: true, ...new CompareService(store).evaluate(job.input, job.hunkOffset, job.hunkLimit) };
  } catch (e) {
    return { ok: false, error: toErrorBody(e) };
  } finally {
    store.close();
  }
}

/** Main side: run the job in a worker thread and wait for its answer. */
export function compareInWorker(job: Omit<CompareJob, 'kind'>): Promise<{ summary: CompareSummary; hunks: CompareHunk[] }> {
  const worker = startModuleWorker(runWorkerEntry(), { workerData: { kind: 'compare', ...job } satisfies CompareJob });
  return new Promise((resolve, reject) => {
    let done = false;
    worker.once('message', (r: CompareJobResult) => {
      done = true;
      void worker.terminate();
      if (r.ok) resolve({ summary: r.summary, hunks: r.hunks });
      else reject(new ApiError(r.error.code, r.error.message, r.error.field));
    });
    worker.once('error', (e) => {
      done = true;
      reject(e);
    });
    worker.once('exit', (code) => {
      if (!done) reject(new Error(`compare worker exited (code ${code}) without an answer`));
    });
  });
}
