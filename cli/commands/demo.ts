// `cxl-bench demo`: one run of the default (or named) sequence on the default (or named) emulated topology,
// in a worker exactly as the app runs it, into the database; a progress bar on a TTY, then a summary.

import { ApiError } from '../../main/api/api-error.js';
import type { RunDetail } from '../../main/api/contract.js';
import { callApi } from '../../main/api/table.js';
import { createServices } from '../../main/services/services.js';
import { DEFAULT_DB, parse, str } from '../args.js';
import { envSequenceModules, write, type CliIo } from '../io.js';
import { ProgressBar } from '../progress-bar.js';
import { EXIT, UsageError } from '../usage.js';

export async function demoCommand(args: string[], io: CliIo): Promise<number> {
  const p = parse('demo', args, { db: { type: 'string' }, json: { type: 'boolean' }, sequence: { type: 'string' }, topology: { type: 'string' } }, { min: 0, max: 0, names: '' });
  const dbPath = str(p, 'db') ?? DEFAULT_DB;
  const services = await createServices({ dbPath, sequenceModules: envSequenceModules() });
  const bar = new ProgressBar(io.stderr);
  try {
    const session = services.store.sessions.findByName('demo') ?? services.store.sessions.create('demo');
    let runId = -1;
    const off = services.hub.subscribe((e) => {
      if (e.type === 'run.progress' && e.runId === runId) bar.update(e.done, e.total, `${e.phase} · ${e.events} events`);
    });
    let run;
    try {
      run = await callApi(services, 'runs.start', {
        sessionId: session.id,
        ...(str(p, 'sequence') ? { sequence: str(p, 'sequence') } : {}),
        ...(str(p, 'topology') ? { topology: str(p, 'topology') } : {}),
      });
    } catch (e) {
      if (e instanceof ApiError && e.code === 'bad-input') throw new UsageError(`demo: ${e.message.replace(/^runs\.start: /, '')}`);
      throw e;
    }
    runId = run.id;
    await services.runs.wait(run.id);
    off();
    bar.clear();
    const detail = await callApi(services, 'runs.get', { id: run.id });
    await write(io.stdout, p.values.json ? JSON.stringify(detail) + '\n' : summaryText(detail, dbPath));
    return detail.status === 'passed' ? EXIT.ok : EXIT.failed;
  } finally {
    bar.clear();
    await services.close();
  }
}

function summaryText(r: RunDetail, dbPath: string): string {
  const c = r.stepCounts;
  const lines = [
    `run ${r.id}: ${r.sequence} on ${r.topology} (${r.targets || 'no targets'}) — ${r.status.toUpperCase()}`,
    `  ${c.pass} pass, ${c.warn} warn, ${c.fail} fail, ${c.info} info; ${r.eventCount} trace events`,
    `  ${r.summary ?? ''}`,
  ];
  for (const s of r.steps.filter((x) => x.verdict === 'fail' || x.verdict === 'warn')) lines.push(`  ${s.verdict.toUpperCase()} ${s.name}: ${s.reason}`);
  lines.push(`  stored in ${dbPath} (cxl-bench trace ${r.id} --format csv)`);
  return lines.join('\n') + '\n';
}
