// trace.export and `cxl-bench trace` (issue 6): a stored run's trace as CSV, JSON lines or VCD, decoded with
// the run's layout, streamed chunk by chunk (trace/formats) so a million-event run never sits in one string.
// The API writes a file (not text) because exports are routinely tens of MB: under CXL_BENCH_EXPORT_DIR, else
// "exports/" beside the database, named run-<id>.<format>.

import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Writable } from 'node:stream';
import { resolveBlock } from '../../emulator/spec/blocks.js';
import { exportCsv } from '../../trace/formats/csv.js';
import { exportJsonl } from '../../trace/formats/jsonl.js';
import { exportVcd } from '../../trace/formats/vcd.js';
import { iterateSource } from '../../trace/event.js';
import type { TraceExportFormat, TraceExportResult } from '../api/contract.js';
import { fileStream, OutputError, writeFileWhole } from '../store/file-output.js';
import { StoredTraceSource } from '../store/stored-trace.js';
import type { Store } from '../store/store.js';

export const EXPORT_FORMATS: readonly TraceExportFormat[] = ['csv', 'jsonl', 'vcd'];

/** The lines of run `runId`'s trace in `format` (the run must exist). */
export function exportLines(store: Store, runId: number, format: TraceExportFormat): Generator<string> {
  const run = store.runs.get(runId);
  if (!run) throw new Error(`run ${runId} does not exist`);
  const src = new StoredTraceSource(store.chunks, runId, run.eventCount);
  const opts = { layout: store.runs.layout(runId), resolve: resolveBlock };
  if (format === 'vcd') return exportVcd(src, { ...opts, date: run.startedAt });
  return format === 'csv' ? exportCsv(iterateSource(src), opts) : exportJsonl(iterateSource(src), opts);
}

/**
 * Write lines to `out` in 64 KiB batches, waiting for drain; returns the bytes written. A stream error (disk
 * full, closed pipe) rejects at the next batch instead of being thrown as an unhandled 'error' event.
 */
export async function writeLines(lines: Iterable<string>, out: Writable): Promise<number> {
  let batch = '';
  let bytes = 0;
  let failed: Error | undefined;
  const onError = (e: Error): void => void (failed ??= e);
  out.on('error', onError);
  const flush = async (): Promise<void> => {
    if (failed) throw failed;
    bytes += Buffer.byteLength(batch);
    const more = out.write(batch);
    batch = '';
    if (!more)
      await new Promise<void>((resolve, reject) => {
        const done = (e?: Error): void => {
          out.off('drain', done);
          out.off('error', done);
          out.off('close', done);
          if (e || failed) reject(e ?? failed);
          else resolve();
        };
        out.once('drain', done);
        out.once('error', done);
        out.once('close', done);
      });
  };
  try {
    for (const line of lines) {
      batch += line;
      if (batch.length >= 1 << 16) await flush();
    }
    if (batch) await flush();
    if (failed) throw failed;
    return bytes;
  } finally {
    out.off('error', onError);
  }
}

/** Where trace.export writes: $CXL_BENCH_EXPORT_DIR, else "exports" beside the database file. */
export function exportDir(dbPath: string): string {
  return resolve(process.env.CXL_BENCH_EXPORT_DIR || join(dirname(resolve(dbPath)), 'exports'));
}

/** Write run `runId` as `format` to `path`, whole or not at all (file-output.ts: OutputError names why). */
export async function exportRunToFile(store: Store, runId: number, format: TraceExportFormat, path: string): Promise<TraceExportResult> {
  const lines = exportLines(store, runId, format);
  try {
    mkdirSync(dirname(path), { recursive: true });
  } catch (e) {
    throw new OutputError(path, e);
  }
  const bytes = await writeFileWhole(path, async (tmp) => {
    const file = fileStream(tmp);
    try {
      const n = await writeLines(lines, file.out);
      await file.finished();
      return n;
    } catch (e) {
      file.out.destroy();
      throw e;
    }
  });
  return { path, bytes, events: store.runs.get(runId)!.eventCount };
}
