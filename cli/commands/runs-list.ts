// `cxl-bench runs list`: the runs in the database, as a table or JSON.

import { existsSync } from 'node:fs';
import { orphanedRuns } from '../../main/store/open-db.js';
import { readPendingOutcomes } from '../../main/store/pending-outcomes.js';
import { openStore } from '../../main/store/store.js';
import { DEFAULT_DB, int, parse, str } from '../args.js';
import { write, type CliIo } from '../io.js';
import { EXIT, UsageError } from '../usage.js';
import { runsLogCommand } from './runs-log.js';

export async function runsCommand(args: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === 'log') return runsLogCommand(rest, io); // runs-log.ts
  if (sub !== 'list') throw new UsageError(sub ? `runs: unknown subcommand "${sub}" (expected: list, log)` : 'runs: missing subcommand (expected: list, log)');
  const p = parse('runs list', rest, { db: { type: 'string' }, json: { type: 'boolean' }, session: { type: 'string' } }, { min: 0, max: 0, names: '' });
  const dbPath = str(p, 'db') ?? DEFAULT_DB;
  if (!existsSync(dbPath)) throw new UsageError(`runs list: no database at ${dbPath}`);
  // Reading only: do not mark another process's running runs as interrupted.
  const store = openStore(dbPath, { recover: false });
  try {
    // A run whose process is gone shows as what it is, though nothing has written that yet (open-db.ts recovers
    // it on the next read-write open): the outcome its process kept (pending-outcomes.ts), else interrupted.
    const orphans = new Set(orphanedRuns(store.db));
    const kept = orphans.size ? readPendingOutcomes(dbPath) : new Map();
    const runs = store.runs.list(int('runs list', p, 'session', 1, Number.MAX_SAFE_INTEGER)).map((r) => {
      if (!orphans.has(r.id)) return r;
      const o = kept.get(r.id);
      return o
        ? { ...r, status: o.status, summary: o.summary, endedAt: o.endedAt }
        : { ...r, status: 'interrupted' as const, summary: r.summary ?? 'interrupted: the process running it stopped' };
    });
    if (p.values.json) {
      await write(io.stdout, JSON.stringify(runs) + '\n');
      return EXIT.ok;
    }
    const lines = ['  id  session  status       sequence      topology      events  started                   summary'];
    for (const r of runs)
      lines.push(
        `${String(r.id).padStart(4)}  ${String(r.sessionId).padStart(7)}  ${r.status.padEnd(11)}  ${r.sequence.padEnd(12)}  ${r.topology.padEnd(12)}  ${String(r.eventCount).padStart(6)}  ${r.startedAt}  ${r.summary ?? ''}`,
      );
    await write(io.stdout, lines.join('\n') + '\n');
    return EXIT.ok;
  } finally {
    store.close();
  }
}
