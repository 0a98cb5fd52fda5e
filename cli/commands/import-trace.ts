// `cxl-bench import FILE [--format qemu|csv|jsonl] [--session NAME] [--topology NAME] [--all-devices] [--json]`: a
// trace file becomes a new run (sequence 'import') through the same trace.import call the UI makes. A QEMU log
// keeps only its CXL devices unless --all-devices (trace.import cxlOnly: false). The format defaults
// from the file name (.csv, .jsonl/.json, anything else: a QEMU trace log). A malformed line is a usage error
// (exit 2) naming the line; nothing is written.

import { existsSync, readFileSync } from 'node:fs';
import { ApiError } from '../../main/api/api-error.js';
import type { TraceImportFormat } from '../../main/api/contract.js';
import { callApi } from '../../main/api/table.js';
import { createServices } from '../../main/services/services.js';
import { DEFAULT_DB, oneOf, parse, str } from '../args.js';
import { write, type CliIo } from '../io.js';
import { EXIT, UsageError } from '../usage.js';

const FORMATS: readonly TraceImportFormat[] = ['qemu', 'csv', 'jsonl'];

export const formatFromName = (file: string): TraceImportFormat =>
  /\.csv$/i.test(file) ? 'csv' : /\.jsonl?$/i.test(file) ? 'jsonl' : 'qemu';

export async function importCommand(args: string[], io: CliIo): Promise<number> {
  const p = parse(
    'import',
    args,
    { format: { type: 'string' }, session: { type: 'string' }, topology: { type: 'string' }, 'all-devices': { type: 'boolean' }, db: { type: 'string' }, json: { type: 'boolean' } },
    { min: 1, max: 1, names: 'FILE' },
  );
  const file = p.positionals[0];
  if (!existsSync(file)) throw new UsageError(`import: no file ${file}`);
  const format = oneOf('import', '--format', str(p, 'format'), FORMATS) ?? formatFromName(file);
  const services = await createServices({ dbPath: str(p, 'db') ?? DEFAULT_DB });
  try {
    const name = str(p, 'session') ?? 'imports';
    const session = services.store.sessions.findByName(name) ?? services.store.sessions.create(name);
    const topology = str(p, 'topology');
    let run;
    try {
      run = await callApi(services, 'trace.import', { sessionId: session.id, format, text: readFileSync(file, 'utf8'), ...(topology ? { topology } : {}), ...(p.values['all-devices'] ? { cxlOnly: false } : {}) });
    } catch (e) {
      if (e instanceof ApiError && e.code === 'bad-input') throw new UsageError(`import: ${file}: ${e.message.replace(/^trace\.import: (text: )?/, '')}`);
      throw e;
    }
    await write(io.stdout, p.values.json ? JSON.stringify(run) + '\n' : `run ${run.id}: ${run.summary} (session "${name}"; cxl-bench trace ${run.id} --format csv)\n`);
    return EXIT.ok;
  } finally {
    await services.close();
  }
}
