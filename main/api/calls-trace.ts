// API calls of the trace surface (issue 6 user reach): export a run's trace to a file, import a trace as a new
// run. Spread into the table in table.ts. (compare.* calls: main/compare/compare-service.ts.)

import { join } from 'node:path';
import { z } from 'zod';
import { exportDir, exportRunToFile } from '../compare/trace-export.js';
import { importTrace } from '../compare/trace-import.js';
import { ApiError } from './api-error.js';
import type { TraceImportInput } from './contract.js';
import { id } from './fields.js';
import type { CallTable } from './call-def.js';

/** 64 MiB of text: a QEMU log of a whole boot fits; more should go through the CLI in pieces. */
const MAX_IMPORT_CHARS = 64 << 20;
const nodeName = z.string({ error: 'must be a node name' }).min(1, { error: 'must be a node name' }).max(200, { error: 'must be a node name' });

const importInput: z.ZodType<TraceImportInput> = z.strictObject({
  sessionId: id,
  format: z.enum(['qemu', 'csv', 'jsonl'], { error: 'must be one of qemu, csv, jsonl' }),
  text: z.string({ error: 'must be the trace text' }).max(MAX_IMPORT_CHARS, { error: 'must be at most 64 MiB' }),
  topology: z.string({ error: 'must be a topology name' }).min(1).max(100).optional(),
  devices: z.record(z.string().max(200), nodeName, { error: 'must map QEMU device names or BDFs to node names' }).optional(),
  cxlOnly: z.boolean({ error: 'must be true or false' }).optional(),
  topologyJson: z.string({ error: 'must be topology file text' }).max(1 << 20, { error: 'must be at most 1 MiB' }).optional(),
  nodeMap: z.record(z.string().min(1).max(200), nodeName, { error: 'must map device or node names to node names' }).optional(),
});

export const TRACE_CALLS: CallTable<'trace.export' | 'trace.import'> = {
  'trace.export': {
    input: z.strictObject({ runId: id, format: z.enum(['csv', 'jsonl', 'vcd'], { error: 'must be one of csv, jsonl, vcd' }) }),
    handler: async (s, i) => {
      const run = s.store.runs.get(i.runId);
      if (!run) throw new ApiError('not-found', `run ${i.runId} does not exist`, 'runId');
      if (run.status === 'running' || run.status === 'queued') throw new ApiError('conflict', `run ${i.runId} is still ${run.status}`, 'runId');
      const path = join(exportDir(s.store.path), `run-${run.id}.${i.format}`);
      const r = await exportRunToFile(s.store, run.id, i.format, path);
      s.log('info', `exported run ${run.id} (${r.events} events) as ${i.format} to ${r.path}`, run.id);
      return r;
    },
  },

  'trace.import': {
    input: importInput,
    handler: (s, i) => {
      const run = importTrace(s.store, i, { hasBuiltin: (n) => s.hasTopology(n), saved: s.store.topologies });
      s.log('info', `imported ${run.eventCount} events (${i.format}) as run ${run.id}`, run.id);
      return run;
    },
  },
};
