// Entry of a run worker thread (started by run-manager.ts through worker-entry.ts): executes the run in
// workerData and reports to the main thread; a 'cancel' message aborts the sequence at its next step.

import { parentPort, workerData } from 'node:worker_threads';
import type { MainMessage, RunInit, WorkerMessage } from './messages.js';
import { executeRun } from './run-executor.js';

const port = parentPort!;
const abort = new AbortController();
port.on('message', (m: MainMessage) => {
  if (m.type === 'cancel') abort.abort();
});
await executeRun(workerData as RunInit, (m: WorkerMessage) => port.postMessage(m), abort.signal);
port.close();
