// Kernel profiles over the API (host/kernels): kernels.list (every profile with its rules and their sources),
// kernels.matrix (run one sequence — linux-probe by default — once per kernel profile on the same topology and
// return the step × version table with the first failing step per version) and runs.kernelMatrix (the same
// table from runs already stored). Spread into the table in table.ts.

import { z } from 'zod';
import { allKernels, KERNEL_IDS, type KernelId } from '../../host/kernels/index.js';
import { buildKernelMatrix, type KernelMatrix } from '../../host/kernels/matrix.js';
import { ApiError } from './api-error.js';
import type { CallTable } from './call-def.js';
import { CORE_CALLS, hardwareTarget } from './calls-core.js';
import type { KernelProfileInfo, Run } from './contract.js';
import { id, slug } from './fields.js';
import type { Services } from '../services/services.js';

export type KernelCallName = 'kernels.list' | 'kernels.matrix' | 'runs.kernelMatrix';

const kernelId = z.enum(KERNEL_IDS, { error: `must be one of ${KERNEL_IDS.join(', ')}` });

function profileInfo(): KernelProfileInfo[] {
  return allKernels().map((k) => ({
    id: k.id,
    title: k.title,
    tree: k.tree,
    checkedAgainst: k.checkedAgainst,
    rules: [
      ...Object.entries(k.probe).map(([name, r]) => ({ area: 'probe' as const, name, value: String(r.value), source: r.source })),
      ...Object.entries(k.region).map(([name, r]) => ({ area: 'region' as const, name, value: String(r.value), source: r.source })),
    ],
  }));
}

function matrixOf(s: Services, runs: ReadonlyArray<{ kernel: KernelId; runId: number }>): KernelMatrix {
  return buildKernelMatrix(
    runs.map(({ kernel, runId }) => {
      if (!s.store.runs.get(runId)) throw new ApiError('not-found', `run ${runId} does not exist`, 'runs');
      return { kernel, runId, steps: s.store.steps.list(runId).map((x) => ({ name: x.name, verdict: x.verdict, reason: x.reason })) };
    }),
  );
}

export const KERNEL_CALLS: CallTable<KernelCallName> = {
  'kernels.list': {
    input: z.strictObject({}),
    handler: () => profileInfo(),
  },

  'kernels.matrix': {
    input: z.strictObject({
      sessionId: id,
      sequence: slug.optional(),
      topology: slug.optional(),
      topologyJson: z.string({ error: 'must be topology file text' }).max(1 << 20, { error: 'must be at most 1 MiB' }).optional(),
      targets: z.record(z.string().min(1).max(200), hardwareTarget).optional(),
      kernels: z.array(kernelId).min(1, { error: 'must name at least one kernel' }).optional(),
    }),
    handler: async (s, i) => {
      const kernels = [...new Set(i.kernels ?? KERNEL_IDS)];
      const runs: Array<{ kernel: KernelId; runId: number }> = [];
      const started: Run[] = [];
      // One run after the other: hardware targets hold one link at a time.
      for (const kernel of kernels) {
        const run = (await CORE_CALLS['runs.start'].handler(s, {
          sessionId: i.sessionId,
          sequence: i.sequence ?? 'linux-probe',
          ...(i.topology !== undefined ? { topology: i.topology } : {}),
          ...(i.topologyJson !== undefined ? { topologyJson: i.topologyJson } : {}),
          ...(i.targets ? { targets: i.targets } : {}),
          kernel,
        })) as Run;
        started.push(run);
        await s.runs.wait(run.id);
        runs.push({ kernel, runId: run.id });
      }
      return { runs: runs.map((r) => ({ ...r, run: s.store.runs.get(r.runId)! })), matrix: matrixOf(s, runs) };
    },
  },

  'runs.kernelMatrix': {
    input: z.strictObject({ runs: z.array(z.strictObject({ kernel: kernelId, runId: id })).min(1, { error: 'must name at least one run' }).max(16) }),
    handler: (s, i) => matrixOf(s, i.runs),
  },
};
