// `cxl-bench session export SESSION --out FILE` and `cxl-bench session import FILE`: move a session (runs, traces, steps, logs,
// comparisons, notes) to another bench as one self-contained database file.

import { existsSync } from 'node:fs';
import { exportSession, importSessionFile } from '../../main/store/session-transfer.js';
import { storageProblem } from '../../main/store/storage-error.js';
import { openStore } from '../../main/store/store.js';
import { DEFAULT_DB, parse, str } from '../args.js';
import { write, type CliIo } from '../io.js';
import { EXIT, UsageError } from '../usage.js';

async function exportCommand(args: string[], io: CliIo): Promise<number> {
  const p = parse('session export', args, { out: { type: 'string' }, db: { type: 'string' }, json: { type: 'boolean' } }, { min: 1, max: 1, names: 'SESSION' });
  const sessionId = Number(p.positionals[0]);
  if (!Number.isInteger(sessionId) || sessionId < 1) throw new UsageError(`session export: SESSION must be a session id, got "${p.positionals[0]}"`);
  const out = str(p, 'out');
  if (!out) throw new UsageError('session export: --out FILE is required');
  if (existsSync(out)) throw new UsageError(`session export: ${out} already exists`);
  const dbPath = str(p, 'db') ?? DEFAULT_DB;
  if (!existsSync(dbPath)) throw new UsageError(`session export: no database at ${dbPath}`);
  const store = openStore(dbPath, { recover: false });
  try {
    if (!store.sessions.get(sessionId)) throw new UsageError(`session export: session ${sessionId} does not exist in ${dbPath}`);
    const r = exportSession(store, sessionId, out);
    await write(io.stdout, p.values.json ? JSON.stringify(r) + '\n' : `exported session ${sessionId}: ${r.runs} runs, ${r.events} events, ${r.topologies} saved topologies, ${r.bytes} bytes -> ${r.path}\n`);
    return EXIT.ok;
  } finally {
    store.close();
  }
}

async function importCommand(args: string[], io: CliIo): Promise<number> {
  const p = parse('session import', args, { db: { type: 'string' }, json: { type: 'boolean' } }, { min: 1, max: 1, names: 'FILE' });
  const file = p.positionals[0];
  if (!existsSync(file)) throw new UsageError(`session import: no file at ${file}`);
  const store = openStore(str(p, 'db') ?? DEFAULT_DB);
  try {
    let result: ReturnType<typeof importSessionFile>;
    try {
      result = importSessionFile(store, file);
    } catch (e) {
      // The disk refusing the copy is not the file's fault: say which it was.
      const storage = storageProblem(e);
      if (storage) throw new Error(`session import: ${file} could not be copied in: ${storage}; nothing was imported`);
      throw new UsageError(`session import: ${file} is not a bench file (${(e as Error).message.split('\n')[0]})`);
    }
    const sessions = result.sessionIds.map((id) => store.sessions.get(id)!);
    const topologyLines = result.topologies.map((t) =>
      t.outcome === 'renamed' ? `saved topology "${t.name}" differs from the one here: imported as "${t.storedAs}"\n` : `saved topology "${t.name}": ${t.outcome}\n`,
    );
    await write(
      io.stdout,
      p.values.json
        ? JSON.stringify(sessions) + '\n'
        : sessions.map((s) => `imported session ${s.id} "${s.name}" with ${s.runCount} runs\n`).join('') + topologyLines.join(''),
    );
    return EXIT.ok;
  } finally {
    store.close();
  }
}

export async function sessionCommand(args: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === 'export') return exportCommand(rest, io);
  if (sub === 'import') return importCommand(rest, io);
  throw new UsageError(sub ? `session: unknown subcommand "${sub}" (expected: export, import)` : 'session: missing subcommand (expected: export, import)');
}
