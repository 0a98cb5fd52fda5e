// `cxl-bench trace RUN --format csv|jsonl|vcd [--out FILE]`: a stored run's trace, decoded with its layout,
// streamed chunk by chunk (trace/formats, via main/compare/trace-export.ts as trace.export) to a file or stdout.
// A file appears whole or not at all (main/store/file-output.ts).

import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { EXPORT_FORMATS, exportLines, writeLines } from '../../main/compare/trace-export.js';
import { fileStream, OutputError, writeFileWhole } from '../../main/store/file-output.js';
import { openStore } from '../../main/store/store.js';
import { DEFAULT_DB, oneOf, parse, str } from '../args.js';
import type { CliIo } from '../io.js';
import { EXIT, UsageError } from '../usage.js';

export async function traceCommand(args: string[], io: CliIo): Promise<number> {
  const p = parse('trace', args, { format: { type: 'string' }, out: { type: 'string' }, db: { type: 'string' } }, { min: 1, max: 1, names: 'RUN' });
  const runId = Number(p.positionals[0]);
  if (!Number.isInteger(runId) || runId < 1) throw new UsageError(`trace: RUN must be a run id, got "${p.positionals[0]}"`);
  const format = oneOf('trace', '--format', str(p, 'format'), EXPORT_FORMATS);
  if (!format) throw new UsageError('trace: --format csv|jsonl|vcd is required');
  const dbPath = str(p, 'db') ?? DEFAULT_DB;
  if (!existsSync(dbPath)) throw new UsageError(`trace: no database at ${dbPath}`);
  const store = openStore(dbPath, { recover: false });
  try {
    if (!store.runs.get(runId)) throw new UsageError(`trace: run ${runId} does not exist in ${dbPath}`);
    const lines = exportLines(store, runId, format);
    const outPath = str(p, 'out');
    if (!outPath) {
      await writeLines(lines, io.stdout);
      return EXIT.ok;
    }
    // Whole or nothing: a full or read-only folder leaves no partial file and one line naming why.
    try {
      await writeFileWhole(resolve(outPath), async (tmp) => {
        const file = fileStream(tmp);
        try {
          await writeLines(lines, file.out);
          await file.finished();
        } catch (e) {
          file.out.destroy();
          throw e;
        }
      });
    } catch (e) {
      throw e instanceof OutputError ? new Error(`trace: ${e.message}`) : e;
    }
    return EXIT.ok;
  } finally {
    store.close();
  }
}
