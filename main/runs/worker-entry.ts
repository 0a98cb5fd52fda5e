// Where the run worker's code is and how to start it — the one place that knows (DESIGN.md 6).
//
// From the TypeScript sources (tsx, vitest) the entry is run-worker.ts beside this file. Node 20's Worker does
// not apply `execArgv: ['--import', 'tsx']` hooks to the worker's own entry (ERR_UNKNOWN_FILE_EXTENSION), so a
// .ts entry is started through a tiny eval'd bootstrap that registers tsx in the worker and then imports it.
// Under the electron-vite bundle this code sits in out/main/index.js and the entry is the separately built
// out/main/run-worker.js, started directly.

import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

/** tsx's ESM register API as a file path (require.resolve yields the CJS build; the ESM one sits beside it). */
function tsxEsmApi(): string {
  const cjs = createRequire(import.meta.url).resolve('tsx/esm/api');
  const mjs = cjs.replace(/\.cjs$/, '.mjs');
  return existsSync(mjs) ? mjs : cjs;
}

export const fromSources = (): boolean => import.meta.url.endsWith('.ts');

/** URL of the run worker's entry module. */
export function runWorkerEntry(): URL {
  return new URL(fromSources() ? './run-worker.ts' : './run-worker.js', import.meta.url);
}

/** Start a worker on `entry` (a .ts or .js module URL) with the given options. */
export function startModuleWorker(entry: URL, opts: WorkerOptions = {}): Worker {
  if (!entry.pathname.endsWith('.ts')) return new Worker(entry, opts);
  const tsxApi = pathToFileURL(tsxEsmApi()).href;
  const boot =
    `import(${JSON.stringify(tsxApi)}).then((m) => { m.register(); return import(${JSON.stringify(entry.href)}); })` +
    `.catch((e) => { setImmediate(() => { throw e; }); });`;
  return new Worker(boot, { ...opts, eval: true });
}
