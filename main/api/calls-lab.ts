// The lab store's calls (issue 17): status/connect, browse (benches, boards, sessions, runs, a run, its trace),
// publish with progress and cancel, pull, pull-and-compare, verdict history. LabErrors become ApiErrors with
// a code a client can act on; messages never carry credentials.

import { z } from 'zod';
import { ApiError } from './api-error.js';
import type { CallTable } from './call-def.js';
import type { LabCalls } from './contract-lab.js';
import { id, limit, none, offset } from './fields.js';
import { getRun, labTracePage, listBenches, listBoards, listRuns, listSessions } from '../lab/browse.js';
import { checkHistory } from '../lab/history.js';
import { LabError } from '../lab/lab-error.js';
import { labService } from '../lab/lab-service.js';
import { pullRun } from '../lab/pull.js';
import { requireLabSchema } from '../lab/lab-migrate.js';
import type { Services } from '../services/services.js';

export type LabCallName = keyof LabCalls;

const text = (max: number) => z.string().min(1, 'must not be empty').max(max);
const url = z.string().min(1).max(2000).refine((u) => /^postgres(ql)?:\/\//i.test(u), 'must be a postgres:// URL');
const CODE: Record<LabError['kind'], 'bad-input' | 'not-found' | 'conflict' | 'internal'> = {
  config: 'bad-input',
  unreachable: 'internal',
  denied: 'conflict',
  schema: 'conflict',
  data: 'not-found',
  cancelled: 'conflict',
};

/** Run `fn` against the configured lab, turning LabErrors into ApiErrors. */
async function withLab<T>(s: Services, fn: (lab: ReturnType<ReturnType<typeof labService>['connection']>) => Promise<T>, needSchema = true): Promise<T> {
  try {
    const lab = labService(s).connection();
    if (needSchema) await requireLabSchema(lab);
    return await fn(lab);
  } catch (e) {
    if (e instanceof LabError) throw new ApiError(CODE[e.kind], e.message);
    throw e;
  }
}

export const LAB_CALLS: CallTable<LabCallName> = {
  'lab.status': { input: z.strictObject({ url: url.optional() }), handler: (s, i) => labService(s).status(i.url) },
  'lab.connect': { input: z.strictObject({ url, bench: text(100).optional() }), handler: (s, i) => labService(s).connect(i.url, i.bench) },
  'lab.benches': { input: none, handler: (s) => withLab(s, listBenches) },
  'lab.boards': { input: none, handler: (s) => withLab(s, listBoards) },
  'lab.sessions': { input: z.strictObject({ bench: text(100).optional() }), handler: (s, i) => withLab(s, (lab) => listSessions(lab, i.bench)) },
  'lab.runs': {
    input: z.strictObject({
      bench: text(100).optional(),
      sessionId: id.optional(),
      serial: text(64).optional(),
      revision: text(100).optional(),
      gateware: text(100).optional(),
      sequence: text(100).optional(),
      status: z.enum(['queued', 'running', 'passed', 'failed', 'error', 'interrupted']).optional(),
      offset: offset.optional(),
      limit: limit(1000).optional(),
    }),
    handler: (s, i) => withLab(s, (lab) => listRuns(lab, i)),
  },
  'lab.run': { input: z.strictObject({ id }), handler: (s, i) => withLab(s, (lab) => getRun(lab, i.id)) },
  'lab.trace': { input: z.strictObject({ runId: id, offset, limit: limit(5000) }), handler: (s, i) => withLab(s, (lab) => labTracePage(lab, i.runId, i.offset, i.limit)) },
  'lab.publish': {
    input: z.strictObject({ sessionId: id, revision: text(100).optional(), gateware: text(100).optional(), firmware: text(100).optional() }),
    handler: async (s, i) => {
      if (!s.store.sessions.get(i.sessionId)) throw new ApiError('not-found', `session ${i.sessionId} does not exist`);
      const identity = { ...(i.revision ? { revision: i.revision } : {}), ...(i.gateware ? { gateware: i.gateware } : {}), ...(i.firmware ? { firmware: i.firmware } : {}) };
      return withLab(s, () => labService(s).publish(i.sessionId, identity), false);
    },
  },
  'lab.cancel': { input: none, handler: (s) => ({ cancelled: labService(s).cancel() }) },
  'lab.pull': { input: z.strictObject({ runId: id }), handler: (s, i) => withLab(s, (lab) => pullRun(lab, s.store, i.runId)) },
  'lab.compare': {
    input: z.strictObject({ runA: id, runB: id, masks: z.array(z.string().min(1).max(200)).max(100).optional() }),
    handler: (s, i) =>
      withLab(s, async (lab) => {
        const a = await pullRun(lab, s.store, i.runA);
        const b = await pullRun(lab, s.store, i.runB);
        const summary = await s.compare.runAsync({ runA: a.runId, runB: b.runId, ...(i.masks ? { masks: i.masks } : {}) });
        return { pulled: [a, b] as [typeof a, typeof b], summary };
      }),
  },
  'lab.history': {
    input: z.strictObject({ check: text(200), sequence: text(100).optional(), serial: text(64).optional() }),
    handler: (s, i) => withLab(s, (lab) => checkHistory(lab, i.check, i.sequence, i.serial)),
  },
};
