// `cxl-bench runs log RUN [--console] [--db FILE] [--json]`: a run's log rows, oldest first; --console keeps only
// the guest console of a QEMU + Linux run (main/qemu), printed as the guest wrote it.

import { existsSync } from 'node:fs';
import { CONSOLE_PREFIX } from '../../main/qemu/qemu-run-service.js';
import { openStore } from '../../main/store/store.js';
import { DEFAULT_DB, parse, str } from '../args.js';
import { write, type CliIo } from '../io.js';
import { EXIT, UsageError } from '../usage.js';

export const RUNS_LOG_USAGE = 'usage: cxl-bench runs log RUN [--console] [--db FILE] [--json]';

export async function runsLogCommand(args: string[], io: CliIo): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    await write(io.stdout, RUNS_LOG_USAGE + '\n  a run\'s log, oldest first; --console: only the guest console of a QEMU + Linux run\n');
    return EXIT.ok;
  }
  const p = parse('runs log', args, { db: { type: 'string' }, json: { type: 'boolean' }, console: { type: 'boolean' } }, { min: 1, max: 1, names: 'RUN' });
  const runId = Number(p.positionals[0]);
  if (!Number.isInteger(runId) || runId < 1) throw new UsageError(`runs log: RUN must be a run id, got "${p.positionals[0]}"`);
  const dbPath = str(p, 'db') ?? DEFAULT_DB;
  if (!existsSync(dbPath)) throw new UsageError(`runs log: no database at ${dbPath}`);
  const store = openStore(dbPath, { recover: false });
  try {
    if (!store.runs.get(runId)) throw new UsageError(`runs log: no run ${runId} in ${dbPath}`);
    const rows = [];
    for (let offset = 0; ; offset += 5000) {
      const page = store.logs.page(runId, offset, 5000);
      rows.push(...page.rows);
      if (offset + 5000 >= page.total) break;
    }
    const consoleOnly = p.values.console === true;
    const kept = consoleOnly ? rows.filter((r) => r.message.startsWith(CONSOLE_PREFIX)) : rows;
    if (consoleOnly && kept.length === 0) throw new UsageError(`runs log: run ${runId} has no guest console (only QEMU + Linux runs have one)`);
    if (p.values.json) await write(io.stdout, JSON.stringify(kept) + '\n');
    else if (consoleOnly) await write(io.stdout, kept.map((r) => r.message.slice(CONSOLE_PREFIX.length)).join('\n') + '\n');
    else await write(io.stdout, kept.map((r) => `${r.time} ${r.level.padEnd(5)} ${r.message}`).join('\n') + '\n');
    return EXIT.ok;
  } finally {
    store.close();
  }
}
