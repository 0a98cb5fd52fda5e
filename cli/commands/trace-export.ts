// `cxl-bench trace RUN --format csv|jsonl [--out FILE]`: a stored run's trace, decoded with its layout,
// streamed chunk by chunk (trace/formats) to a file or stdout.

import { createWriteStream, existsSync } from 'node:fs';
import type { Writable } from 'node:stream';
import { resolveBlock } from '../../emulator/spec/blocks.js';
import { openStore } from '../../main/store/store.js';
import { decodeChunk } from '../../trace/chunk-codec.js';
import type { TraceEvent } from '../../trace/event.js';
import { exportCsv } from '../../trace/formats/csv.js';
import { exportJsonl } from '../../trace/formats/jsonl.js';
import { DEFAULT_DB, oneOf, parse, str } from '../args.js';
import { write, type CliIo } from '../io.js';
import { EXIT, UsageError } from '../usage.js';

const FORMATS = ['csv', 'jsonl'] as const;

export async function traceCommand(args: string[], io: CliIo): Promise<number> {
  const p = parse('trace', args, { format: { type: 'string' }, out: { type: 'string' }, db: { type: 'string' } }, { min: 1, max: 1, names: 'RUN' });
  const runId = Number(p.positionals[0]);
  if (!Number.isInteger(runId) || runId < 1) throw new UsageError(`trace: RUN must be a run id, got "${p.positionals[0]}"`);
  const format = oneOf('trace', '--format', str(p, 'format'), FORMATS);
  if (!format) throw new UsageError('trace: --format csv|jsonl is required');
  const dbPath = str(p, 'db') ?? DEFAULT_DB;
  if (!existsSync(dbPath)) throw new UsageError(`trace: no database at ${dbPath}`);
  const store = openStore(dbPath, { recover: false });
  try {
    if (!store.runs.get(runId)) throw new UsageError(`trace: run ${runId} does not exist in ${dbPath}`);
    const nodes = store.chunks.nodes(runId);
    const chunks = store.chunks;
    function* events(): Generator<TraceEvent> {
      for (const c of chunks.all(runId)) yield* decodeChunk(c.bytes, nodes, c.firstSeq);
    }
    const opts = { layout: store.runs.layout(runId), resolve: resolveBlock };
    const lines = format === 'csv' ? exportCsv(events(), opts) : exportJsonl(events(), opts);
    const outPath = str(p, 'out');
    const out: Writable = outPath ? createWriteStream(outPath) : io.stdout;
    let batch = '';
    for (const line of lines) {
      batch += line;
      if (batch.length >= 1 << 16) {
        await write(out, batch);
        batch = '';
      }
    }
    if (batch) await write(out, batch);
    if (outPath) await new Promise<void>((r, j) => out.end((e?: Error | null) => (e ? j(e) : r())));
    return EXIT.ok;
  } finally {
    store.close();
  }
}
