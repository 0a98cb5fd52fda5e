import type { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { fromSources, runWorkerEntry, startModuleWorker } from '../../main/runs/worker-entry.js';

/** The worker's one message, once it has exited by itself (no terminate(): see run-manager.ts). */
const reply = (w: Worker): Promise<unknown> =>
  new Promise((resolve, reject) => {
    let msg: unknown;
    w.once('message', (m) => (msg = m));
    w.once('error', reject);
    w.once('exit', () => resolve(msg));
  });

describe('run worker entry', () => {
  it('from the TypeScript sources, the entry is run-worker.ts beside the manager', () => {
    expect(fromSources()).toBe(true);
    expect(runWorkerEntry().pathname).toMatch(/\/main\/runs\/run-worker\.ts$/);
  });

  it('a .ts entry starts under plain Node through the tsx bootstrap, with its workerData', async () => {
    const w = startModuleWorker(new URL('./fixtures/echo-worker.ts', import.meta.url), { workerData: { n: 7 } });
    expect(await reply(w)).toEqual({ data: { n: 7 }, lang: 'ts' });
  });

  it('a built .js entry starts directly', async () => {
    const w = startModuleWorker(new URL('./fixtures/echo-worker.mjs', import.meta.url), { workerData: 'x' });
    expect(await reply(w)).toEqual({ data: 'x', lang: 'js' });
  });
});
