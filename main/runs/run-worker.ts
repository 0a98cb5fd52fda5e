// Entry of a run worker thread (started by run-manager.ts through worker-entry.ts): executes the run in
// workerData and reports to the main thread; a 'cancel' message aborts the sequence at its next step.

import { parentPort, workerData } from 'node:worker_threads';
import { isCompareJob, runCompareJob } from '../compare/compare-job.js';
import type { MainMessage, RunInit, WorkerMessage } from './messages.js';
import { executeRun } from './run-executor.js';

const port = parentPort!;
if (isCompareJob(workerData)) {
  // The same worker entry computes large comparisons off the main thread (main/compare/compare-job.ts), so the
  // packaged app needs no second worker bundle.
  port.postMessage(runCompareJob(workerData));
} else {
  const abort = new AbortController();
  port.on('message', (m: MainMessage) => {
    if (m.type === 'cancel') abort.abort();
  });
  await executeRun(workerData as RunInit, (m: WorkerMessage) => port.postMessage(m), abort.signal);
}
port.close();
