// Calls the UI work of issue 15 added besides transfers: deleting a run (finding 15).

import { z } from 'zod';
import { ApiError } from './api-error.js';
import type { CallTable } from './call-def.js';
import { id } from './fields.js';

export const UI_CALLS: CallTable<'runs.delete'> = {
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
