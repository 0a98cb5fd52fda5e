// Imports and exports of any size (issue 15, findings 4 and 11): an upload arrives in chunks (transfer.begin /
// append), then is imported as a trace or a session in the background with progress events ('transfer.progress')
// and a cancel; an export is written to a file the browser reads back in chunks and saves as a download.
// Every file lives under the bench's data directory (TransferFiles): no call reads a path the client names.

import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';
import { exportRunToFile } from '../compare/trace-export.js';
import { exportSession, importSessions } from '../store/session-transfer.js';
import type { Services } from '../services/services.js';
import { MAX_CHUNK_BYTES, TransferFiles } from '../transfer/transfer-files.js';
import { importTraceFile } from '../transfer/stream-import.js';
import { ApiError, toErrorBody } from './api-error.js';
import type { CallTable } from './call-def.js';
import type { ImportProgress, TransferTarget } from './contract-ui.js';
import { id, offset } from './fields.js';

interface Job {
  abort: AbortController;
  progress: ImportProgress;
}

interface TransferState {
  files: TransferFiles;
  jobs: Map<string, Job>;
}

/** One transfer area per services instance (its database's directory). */
const states = new WeakMap<Services, TransferState>();
function state(s: Services): TransferState {
  let st = states.get(s);
  if (!st) states.set(s, (st = { files: new TransferFiles(s.store.path), jobs: new Map() }));
  return st;
}

const transferId = z.string({ error: 'must be a transfer id' }).regex(/^[0-9a-f]{24}$/, { error: 'must be a transfer id (from transfer.begin or transfer.export)' });
const base64Chunk = z.string({ error: 'must be base64 data' }).max(Math.ceil(MAX_CHUNK_BYTES / 3) * 4, { error: `must be at most ${MAX_CHUNK_BYTES >> 20} MiB of data` });
const target: z.ZodType<TransferTarget> = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('trace'),
    sessionId: id,
    format: z.enum(['qemu', 'csv', 'jsonl'], { error: 'must be one of qemu, csv, jsonl' }),
    topology: z.string().min(1).max(100).optional(),
    cxlOnly: z.boolean().optional(),
  }),
  z.strictObject({ kind: z.literal('session') }),
], { error: 'must be { kind: "trace", sessionId, format } or { kind: "session" }' });

/** "bad-input: …" as the UI words every API failure. */
function errorLine(e: unknown): string {
  const b = e instanceof ApiError ? { code: e.code, message: e.message } : toErrorBody(e);
  return `${b.code}: ${b.message}`;
}

function report(s: Services, job: Job, patch: Partial<ImportProgress>): void {
  job.progress = { ...job.progress, ...patch };
  s.hub.emit({ type: 'transfer.progress', progress: job.progress });
}

async function runImport(s: Services, st: TransferState, tid: string, job: Job, t: TransferTarget, file: { path: string; name: string; bytes: number }): Promise<void> {
  try {
    if (t.kind === 'trace') {
      const run = await importTraceFile(s.store, file.path, file.bytes, {
        sessionId: t.sessionId,
        format: t.format,
        name: file.name,
        signal: job.abort.signal,
        ...(t.topology ? { topology: t.topology } : {}),
        ...(t.cxlOnly !== undefined ? { cxlOnly: t.cxlOnly } : {}),
        onProgress: (done, total, events, phase) => report(s, job, { done, total, events, phase }),
      });
      s.log('info', `imported ${run.eventCount} events (${t.format}) from ${file.name} as run ${run.id}`, run.id);
      report(s, job, { phase: 'done', done: file.bytes, events: run.eventCount, run });
    } else {
      await new Promise((r) => setImmediate(r));
      let ids: number[];
      try {
        ids = importSessions(s.store, file.path);
      } catch (e) {
        throw new ApiError('bad-input', `sessions.import: ${file.name}: not a bench file (${(e as Error).message})`, 'path');
      }
      const sessions = ids.map((n) => s.store.sessions.get(n)!);
      s.log('info', `imported ${sessions.length} session(s) from ${file.name}`);
      report(s, job, { phase: 'done', done: file.bytes, sessions });
    }
  } catch (e) {
    const cancelled = job.abort.signal.aborted;
    report(s, job, { phase: cancelled ? 'cancelled' : 'error', message: cancelled ? `import of ${file.name} cancelled; nothing was kept` : errorLine(e) });
  } finally {
    st.jobs.delete(tid);
    st.files.release(tid);
  }
}

type TransferCalls = 'transfer.begin' | 'transfer.append' | 'transfer.finish' | 'transfer.cancel' | 'transfer.export' | 'transfer.read';

export const TRANSFER_CALLS: CallTable<TransferCalls> = {
  'transfer.begin': {
    input: z.strictObject({ name: z.string({ error: 'must be a file name' }).min(1).max(500), total: z.int({ error: 'must be a byte count' }).min(0, { error: 'must be a byte count' }) }),
    handler: (s, i) => state(s).files.begin(i.name, i.total),
  },

  'transfer.append': {
    input: z.strictObject({ id: transferId, offset, data: base64Chunk }),
    handler: (s, i) => state(s).files.append(i.id, i.offset, i.data),
  },

  'transfer.finish': {
    input: z.strictObject({ id: transferId, target }),
    handler: (s, i) => {
      const st = state(s);
      if (i.target.kind === 'trace' && !s.store.sessions.get(i.target.sessionId)) throw new ApiError('not-found', `session ${i.target.sessionId} does not exist`, 'target.sessionId');
      const file = st.files.take(i.id);
      const job: Job = { abort: new AbortController(), progress: { id: i.id, phase: 'parse', done: 0, total: file.bytes, events: 0 } };
      st.jobs.set(i.id, job);
      void runImport(s, st, i.id, job, i.target, file);
      return job.progress;
    },
  },

  'transfer.cancel': {
    input: z.strictObject({ id: transferId }),
    handler: (s, i) => {
      const st = state(s);
      const job = st.jobs.get(i.id);
      if (job) {
        job.abort.abort();
        return { cancelled: true };
      }
      return { cancelled: st.files.release(i.id) };
    },
  },

  'transfer.export': {
    input: z.strictObject({
      runId: id.optional(),
      sessionId: id.optional(),
      format: z.enum(['csv', 'jsonl', 'vcd'], { error: 'must be one of csv, jsonl, vcd' }).optional(),
    }),
    handler: async (s, i) => {
      const files = state(s).files;
      if ((i.runId === undefined) === (i.sessionId === undefined)) throw new ApiError('bad-input', 'transfer.export: runId: give a runId (with a format) or a sessionId', 'runId');
      if (i.runId !== undefined) {
        const run = s.store.runs.get(i.runId);
        if (!run) throw new ApiError('not-found', `run ${i.runId} does not exist`, 'runId');
        if (run.status === 'running' || run.status === 'queued') throw new ApiError('conflict', `run ${i.runId} is still ${run.status}`, 'runId');
        const format = i.format ?? 'csv';
        const { id: tid, path } = files.exportPath(`.${format}`);
        mkdirSync(dirname(path), { recursive: true });
        await exportRunToFile(s.store, run.id, format, path);
        return files.offer(tid, path, `run-${run.id}-${run.sequence}.${format}`);
      }
      const session = s.store.sessions.get(i.sessionId!);
      if (!session) throw new ApiError('not-found', `session ${i.sessionId} does not exist`, 'sessionId');
      const { id: tid, path } = files.exportPath('.cxlbench.sqlite');
      exportSession(s.store, session.id, path);
      return files.offer(tid, path, `${session.name.replace(/[^A-Za-z0-9._-]+/g, '-')}.cxlbench.sqlite`);
    },
  },

  'transfer.read': {
    input: z.strictObject({ id: transferId, offset, length: z.int().min(1).max(MAX_CHUNK_BYTES, { error: `must be at most ${MAX_CHUNK_BYTES} bytes` }) }),
    handler: (s, i) => state(s).files.read(i.id, i.offset, i.length),
  },
};
