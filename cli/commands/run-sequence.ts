// Start one run through the API (runs.start, exactly as the UI does), show progress on a TTY, wait for it and
// return its detail. Shared by `cxl-bench run` and `cxl-bench demo`. A bad-input answer is a usage error.

import { ApiError } from '../../main/api/api-error.js';
import type { ApiInput, RunDetail } from '../../main/api/contract.js';
import { callApi } from '../../main/api/table.js';
import type { Services } from '../../main/services/services.js';
import type { CliIo } from '../io.js';
import { ProgressBar } from '../progress-bar.js';
import { UsageError } from '../usage.js';

export async function runSequence(services: Services, io: CliIo, command: string, input: ApiInput<'runs.start'>): Promise<RunDetail> {
  const bar = new ProgressBar(io.stderr);
  let runId = -1;
  let finished: { status: RunDetail['status']; summary: string } | undefined;
  const off = services.hub.subscribe((e) => {
    if (e.type === 'run.progress' && e.runId === runId) bar.update(e.done, e.total, `${e.phase} · ${e.events} events`);
    if (e.type === 'run.finished' && e.runId === runId) finished = { status: e.status, summary: e.summary };
  });
  try {
    let run;
    try {
      run = await callApi(services, 'runs.start', input);
    } catch (e) {
      if (e instanceof ApiError && e.code === 'bad-input') throw new UsageError(`${command}: ${e.message.replace(/^runs\.start: /, '')}`);
      throw e;
    }
    runId = run.id;
    await services.runs.wait(run.id);
    const detail = await callApi(services, 'runs.get', { id: run.id });
    // The store refused the outcome (disk full): say what happened all the same, and that it is not stored.
    if (detail.status === 'running' && finished)
      return { ...detail, status: finished.status, summary: `${finished.summary} (not recorded: the database refused the write)` };
    return detail;
  } finally {
    off();
    bar.clear();
  }
}

/** "NODE=URI" pairs of repeated --target options, as runs.start targets (with the --map file for each). */
export function parseTargets(command: string, pairs: readonly string[] | undefined, map: string | undefined): ApiInput<'runs.start'>['targets'] {
  if (!pairs?.length) {
    if (map) throw new UsageError(`${command}: --map needs a --target NODE=URI`);
    return undefined;
  }
  const out: Record<string, string | { link: string; map: string }> = {};
  for (const p of pairs) {
    const eq = p.indexOf('=');
    if (eq <= 0 || eq === p.length - 1) throw new UsageError(`${command}: --target must be NODE=URI (e.g. hb0.rp0.ep0=uartbone:/dev/ttyUSB0@115200), got "${p}"`);
    const node = p.slice(0, eq);
    if (Object.hasOwn(out, node)) throw new UsageError(`${command}: --target names ${node} twice`);
    const link = p.slice(eq + 1);
    out[node] = map ? { link, map } : link;
  }
  return out;
}
