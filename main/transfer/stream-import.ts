// Import a trace file of any size (issue 15, finding 4): CSV and JSON lines are read from the file in batches of
// lines, each batch parsed and stored as its own chunk transaction, with the event loop let go between batches
// (the server keeps answering, progress goes out) and a cancel checked. A malformed line ends the import with
// its line number and the run it had started is deleted: nothing of a failed or cancelled import is kept.
// QEMU logs are matched by device over the whole text (trace-import.ts), so they are read whole.

import { createReadStream, readFileSync } from 'node:fs';
import { setImmediate as yieldLoop } from 'node:timers/promises';
import { encodeEvents } from '../../trace/chunk-codec.js';
import type { TraceEvent } from '../../trace/event.js';
import { importCsv } from '../../trace/formats/csv.js';
import { TraceImportError } from '../../trace/formats/import-error.js';
import { importJsonl } from '../../trace/formats/jsonl.js';
import { ApiError } from '../api/api-error.js';
import type { Run, Step, TraceImportFormat } from '../api/contract.js';
import { builtinLayout, topologyFor } from '../compare/topology-layout.js';
import { importTrace } from '../compare/trace-import.js';
import type { Store } from '../store/store.js';
import { RunTraceWriter } from '../store/trace-writer.js';
import { nodeInterner } from '../store/node-interner.js';

/** Lines parsed per batch: large enough that per-batch costs vanish, small enough to yield every ~50 ms. */
const BATCH_LINES = 16_384;
const CHUNK_EVENTS = 4096;

export interface StreamImportOptions {
  sessionId: number;
  format: TraceImportFormat;
  topology?: string;
  cxlOnly?: boolean;
  /** The file's name as the user knows it (messages). */
  name: string;
  signal?: AbortSignal;
  /** Bytes of the file consumed so far, its size, events stored so far. */
  onProgress?: (done: number, total: number, events: number, phase: 'parse' | 'store') => void;
}

class Cancelled extends Error {}

export async function importTraceFile(store: Store, path: string, total: number, o: StreamImportOptions): Promise<Run> {
  if (!store.sessions.get(o.sessionId)) throw new ApiError('not-found', `session ${o.sessionId} does not exist`, 'sessionId');
  if (o.format === 'qemu') {
    o.onProgress?.(0, total, 0, 'parse');
    const text = readFileSync(path, 'utf8');
    await yieldLoop();
    const run = importTrace(store, { sessionId: o.sessionId, format: 'qemu', text, ...(o.topology ? { topology: o.topology } : {}), ...(o.cxlOnly !== undefined ? { cxlOnly: o.cxlOnly } : {}) });
    o.onProgress?.(total, total, run.eventCount, 'store');
    return run;
  }
  if (o.topology && !builtinLayout(o.topology).length) throw new ApiError('bad-input', `trace.import: topology: unknown topology "${o.topology}"`, 'topology');

  const run = store.runs.create({ sessionId: o.sessionId, sequence: 'import', topology: o.topology ?? 'import', targets: `imported ${o.format}`, status: 'running' });
  const writer = new RunTraceWriter(store.db, run.id);
  const { list: nodeList, index: nodeIndex } = nodeInterner();
  let seq = 0;
  let stepSeq = 0;
  let pending: TraceEvent[] = [];
  let header: string | null = null;
  let lineNo = 0; // file lines consumed
  let bytesDone = 0;

  const flush = (all: boolean): void => {
    while (pending.length >= CHUNK_EVENTS || (all && pending.length)) {
      const part = pending.slice(0, CHUNK_EVENTS);
      pending = pending.slice(part.length);
      const firstSeq = seq;
      const steps: Step[] = [];
      for (const e of part) {
        e.seq = seq++;
        if (e.kind === 'step') steps.push({ seq: stepSeq++, name: e.name, verdict: e.verdict, reason: e.reason, evidence: e.evidence ?? null, eventSeq: e.seq });
      }
      writer.write({ chunks: [{ firstSeq, count: part.length, bytes: encodeEvents(part, nodeIndex) }], nodes: [...nodeList], steps });
    }
  };

  /** Parse `lines` (file lines firstLine.. onward); errors carry the file's line number. */
  const parseBatch = (lines: string[], firstLine: number): void => {
    try {
      if (o.format === 'csv') {
        if (header === null) {
          if (!lines.length) return;
          header = lines.shift()!;
          firstLine++;
          if (!lines.length) {
            importCsv(header); // validates the header alone
            return;
          }
        }
        pending.push(...importCsv(`${header}\n${lines.join('\n')}`));
      } else pending.push(...importJsonl(lines.join('\n')));
    } catch (e) {
      if (e instanceof TraceImportError) {
        const line = o.format === 'csv' ? (e.line === 1 ? 1 : firstLine + e.line - 2) : firstLine + e.line - 1;
        throw new ApiError('bad-input', `trace.import: ${o.name}: line ${line}: ${e.reason}`, 'text');
      }
      throw e;
    }
  };

  try {
    let carry = '';
    let batch: string[] = [];
    let batchFirst = 1;
    const stream = createReadStream(path, { encoding: 'utf8', highWaterMark: 1 << 20 });
    for await (const piece of stream as AsyncIterable<string>) {
      bytesDone += Buffer.byteLength(piece);
      const text = carry + piece;
      const parts = text.split('\n');
      carry = parts.pop()!;
      for (const p of parts) {
        batch.push(p.endsWith('\r') ? p.slice(0, -1) : p);
        lineNo++;
        if (batch.length >= BATCH_LINES) {
          parseBatch(batch, batchFirst);
          batchFirst = lineNo + 1;
          batch = [];
          flush(false);
          o.onProgress?.(bytesDone, total, seq, 'parse');
          await yieldLoop();
          if (o.signal?.aborted) throw new Cancelled();
        }
      }
    }
    if (carry !== '') batch.push(carry.endsWith('\r') ? carry.slice(0, -1) : carry);
    if (header === null && o.format === 'csv' && batch.length === 0) throw new ApiError('bad-input', `trace.import: ${o.name}: line 1: empty file: expected the header line`, 'text');
    parseBatch(batch, batchFirst);
    flush(true);
    if (o.signal?.aborted) throw new Cancelled();

    const topology = o.topology ?? topologyFor(new Set(nodeList));
    const layout = topology ? builtinLayout(topology) : [];
    store.tx(() => {
      store.runs.setLayout(run.id, layout);
      if (topology) store.db.prepare('UPDATE runs SET topology = ? WHERE id = ?').run(topology, run.id);
      store.runs.finish(run.id, 'passed', `imported ${seq} events (${o.format}) from ${o.name}${topology ? `, decoded with topology ${topology}` : ''}`);
    });
    o.onProgress?.(total, total, seq, 'store');
    return store.runs.get(run.id)!;
  } catch (e) {
    // Nothing of a failed or cancelled import stays: the run and (by cascade) its chunks, nodes and steps go.
    store.db.prepare('DELETE FROM runs WHERE id = ?').run(run.id);
    store.traces.forget(run.id);
    if (e instanceof Cancelled) throw new ApiError('conflict', `import of ${o.name} cancelled; nothing was kept`);
    throw e;
  }
}
