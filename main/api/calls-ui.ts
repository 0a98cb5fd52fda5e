// Calls the UI work of issue 15 added besides transfers: deleting a run (finding 15).

import { z } from 'zod';
import { ApiError } from './api-error.js';
import type { CallTable } from './call-def.js';
import { id } from './fields.js';
import { traceTimeline } from '../compare/trace-timeline.js';

export const UI_CALLS: CallTable<'runs.delete' | 'trace.timeline'> = {
  'trace.timeline': {
    input: z.strictObject({
      runId: id,
      buckets: z.int({ error: 'must be an integer 10-4000' }).min(10, { error: 'must be an integer 10-4000' }).max(4000, { error: 'must be an integer 10-4000' }).optional(),
      fromNs: z.number({ error: 'must be a time in ns' }).min(0, { error: 'must be a time in ns' }).optional(),
      toNs: z.number({ error: 'must be a time in ns' }).min(0, { error: 'must be a time in ns' }).optional(),
    }),
    handler: (s, i) => {
      if (!s.store.runs.get(i.runId)) throw new ApiError('not-found', `run ${i.runId} does not exist`, 'runId');
      return traceTimeline(s.store, i.runId, i.buckets ?? 800, i.fromNs, i.toNs);
    },
  },

  'runs.delete': {
    input: z.strictObject({ id }),
    handler: (s, i) => {
      const run = s.store.runs.get(i.id);
      if (!run) throw new ApiError('not-found', `run ${i.id} does not exist`, 'id');
      if (s.live.find(run.sessionId)?.runId === run.id)
        throw new ApiError('conflict', `run ${i.id} is the console of the live bench open in its session; close it first (Topology → Close live)`, 'id');
      if (run.status === 'running' || run.status === 'queued' || s.runs.activeRuns().includes(run.id))
        throw new ApiError('conflict', `run ${i.id} is still ${run.status}; stop it first`, 'id');
      // Steps, events, nodes, logs, notes and comparisons of the run go with it (ON DELETE CASCADE).
      s.store.db.prepare('DELETE FROM runs WHERE id = ?').run(run.id);
      s.store.traces.forget(run.id);
      s.log('info', `deleted run ${run.id} (${run.sequence}, ${run.eventCount} events)`);
      return { deleted: true as const };
    },
  },
};
