// `linux-probe-async`: the Linux probe with the Type 3 endpoints probed in parallel, as Linux does (cxl_pci is
// PROBE_PREFER_ASYNCHRONOUS, drivers/cxl/pci.c): cxl_acpi and the ports first, in order, then one linux-probe
// per endpoint at once, their accesses interleaved by a seed (host/core/interleave.ts). Two runs with different
// seeds make the same per-device traffic in different interleavings — what compare's per-node alignment is for.
//
// Each endpoint's probe is linux-probe over that endpoint alone, without the platform (the platform's part,
// cxl_acpi, ran first); so cxl_mem's check of range registers against the CFMWS windows is not made here.

import type { Target } from '../../common/target.js';
import { CXL_MEMORY_CLASS, pciReadIds } from '../core/pci.js';
import { Interleaver } from '../core/interleave.js';
import type { Sequence, SequenceContext, SequenceResult } from '../sequence.js';
import { linuxProbeRun } from './linux-probe/index.js';
import { targetsInOrder } from './step-log.js';

export async function linuxProbeAsyncRun(ctx: SequenceContext, seed = 1): Promise<SequenceResult> {
  const all = targetsInOrder(ctx);
  // The PCI core has enumerated every function before drivers bind: which ones are memory devices.
  const endpoints: Target[] = [];
  const others: Target[] = [];
  for (const t of all) ((await pciReadIds(t)).classCode === CXL_MEMORY_CLASS ? endpoints : others).push(t);
  ctx.progress(0, endpoints.length + 1, 'cxl_acpi, cxl_port');
  const first = await linuxProbeRun({ ...ctx, targets: new Map(others.map((t) => [t.node, t])), progress: () => {} });
  const inter = new Interleaver(seed);
  let done = 0;
  const results = await inter.run(
    endpoints.map((t) => async (id: number) => {
      const r = await linuxProbeRun({ ...ctx, platform: null, targets: new Map([[t.node, inter.gate(t, id)]]), progress: () => {} });
      ctx.progress(++done, endpoints.length + 1, `probed ${t.node}`);
      return r;
    }),
  );
  const bound = results.filter((r) => r.endpoints.every((e) => e.cxlMem)).length;
  return { summary: `linux-probe-async (seed ${seed}): ${[first.summary, ...results.map((r) => r.summary)].join(' | ')}; ${bound}/${endpoints.length} memdev(s) usable` };
}

export const linuxProbeAsyncSequence: Sequence = {
  id: 'linux-probe-async',
  title: 'Linux probe (parallel endpoints)',
  description: 'linux-probe with the Type 3 endpoints probed at once, their accesses interleaved as an asynchronous probe would (seed 1).',
  run: (ctx: SequenceContext) => linuxProbeAsyncRun(ctx),
};
