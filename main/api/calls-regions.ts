// regions.* (contract-regions.ts): regions on a session's live bench, through the host's region sequences.
// One operation at a time per bench (LivePlatform.serial), recorded in the console run.

import { z } from 'zod';
import { regionRun } from '../../host/sequences/region/index.js';
import { KERNEL_IDS, type KernelId } from '../../host/sequences/region/kernel-rules.js';
import { regionTeardownRun } from '../../host/sequences/region/teardown.js';
import { platformCxlList, platformDecode } from '../regions/region-bench.js';
import { ApiError } from './api-error.js';
import type { CallTable } from './call-def.js';
import type { LsaIndexView, RegionStep } from './contract-regions.js';
import { MailboxClient } from '../../host/core/mbox.js';
import { decodeLsa, type IndexBlock } from '../../host/lsa/labels.js';
import { lsaSize, readLsa } from '../../host/lsa/lsa-io.js';

const sessionId = z.int({ error: 'must be a positive integer' }).positive({ error: 'must be a positive integer' });
const kernel = z.enum(KERNEL_IDS, { error: `must be one of ${KERNEL_IDS.join(', ')}` });
const HEX_TEXT = /^(0x)?[0-9a-f]{1,16}$/i;
const hpaInput = z.union([z.int().min(0), z.string().regex(HEX_TEXT)], { error: 'must be an HPA: an integer >= 0 or hex text (0x...)' });

const toHpa = (v: number | string): number => {
  const b = typeof v === 'number' ? BigInt(v) : BigInt(/^0x/i.test(v) ? v : `0x${v}`);
  if (b >= 2n ** 52n) throw new ApiError('bad-input', 'hpa: must be below 2^52', 'hpa');
  return Number(b);
};

const stepOf = (r: { name: string; verdict: RegionStep['verdict']; reason: string; evidence?: string }): RegionStep => ({ name: r.name, verdict: r.verdict, reason: r.reason, ...(r.evidence ? { evidence: r.evidence } : {}) });

export const REGIONS_CALLS: CallTable<'regions.create' | 'regions.teardown' | 'regions.list' | 'regions.decode' | 'regions.labels'> = {
  'regions.labels': {
    input: z.strictObject({ sessionId, node: z.string({ error: 'must be a node path' }).min(1, { error: 'must be a node path' }).max(200, { error: 'must be a node path' }) }),
    handler: (s, i) => {
      const live = s.live.get(i.sessionId);
      const f = live.type3Node(i.node);
      return live.serial(async () => {
        const ctx = live.sequenceContext('labels', () => undefined);
        const c = await MailboxClient.connect(f.target, { sleep: (ns) => ctx.sleep(ns), now: () => ctx.clock.now(), sink: ctx.sink });
        if ('error' in c) throw new ApiError('conflict', `${i.node}: ${c.error}`, 'node');
        const size = await lsaSize(c);
        const img = typeof size === 'string' ? size : await readLsa(c, size);
        live.flush();
        if (typeof img === 'string') throw new ApiError('conflict', `${i.node}: ${img}`, 'node');
        const d = decodeLsa(img);
        const view = (x: IndexBlock | null): LsaIndexView | null => (x ? { offset: x.offset, seq: x.seq, nslot: x.nslot, labeloff: x.labeloff, major: x.major, minor: x.minor, freeSlots: x.free.size, checksumOk: x.checksumOk } : null);
        return { node: i.node, size: d.size, index: d.index.map(view), current: d.current ? d.current.offset : null, labels: d.labels, problems: d.problems };
      });
    },
  },

  'regions.create': {
    input: z.strictObject({
      sessionId,
      mode: z.enum(['ram', 'pmem'], { error: 'must be ram or pmem' }).optional(),
      kernel: kernel.optional(),
      ways: z.int({ error: 'must be 1, 2, 3, 4, 6, 8, 12 or 16' }).refine((w) => [1, 2, 3, 4, 6, 8, 12, 16].includes(w), { error: 'must be 1, 2, 3, 4, 6, 8, 12 or 16' }).optional(),
      granularity: z.int({ error: 'must be 256, 512, ... 16384' }).refine((g) => [256, 512, 1024, 2048, 4096, 8192, 16384].includes(g), { error: 'must be 256, 512, 1024, 2048, 4096, 8192 or 16384' }).optional(),
      window: z.int({ error: 'must be a CFMWS index' }).min(0, { error: 'must be a CFMWS index' }).optional(),
      endpoints: z.array(z.string().min(1).max(200), { error: 'must be a list of endpoint paths' }).max(16, { error: 'at most 16 endpoints' }).optional(),
      keep: z.boolean({ error: 'must be true or false' }).optional(),
      memtest: z.boolean({ error: 'must be true or false' }).optional(),
      labels: z.boolean({ error: 'must be true or false' }).optional(),
      testBytes: z.int({ error: 'must be a byte count' }).min(4096, { error: 'must be at least 4096' }).max(16 << 20, { error: 'must be at most 16 MiB' }).optional(),
    }),
    handler: (s, i) => {
      const live = s.live.get(i.sessionId);
      return live.serial(async () => {
        const steps: RegionStep[] = [];
        const ctx = live.sequenceContext('region', (r) => steps.push(stepOf(r)));
        const r = await regionRun(ctx, {
          keep: i.keep ?? true,
          ...(i.mode ? { mode: i.mode } : {}),
          ...(i.kernel ? { kernel: i.kernel } : {}),
          ...(i.ways !== undefined ? { ways: i.ways } : {}),
          ...(i.granularity !== undefined ? { granularity: i.granularity } : {}),
          ...(i.window !== undefined ? { window: i.window } : {}),
          ...(i.endpoints ? { endpoints: i.endpoints } : {}),
          ...(i.memtest !== undefined ? { memtest: i.memtest } : {}),
          ...(i.labels !== undefined ? { labels: i.labels } : {}),
          ...(i.testBytes !== undefined ? { testBytes: i.testBytes } : {}),
        });
        live.flush();
        return { summary: r.summary, region: r.region, memtest: r.memtest, steps };
      });
    },
  },

  'regions.teardown': {
    input: z.strictObject({ sessionId }),
    handler: (s, i) => {
      const live = s.live.get(i.sessionId);
      return live.serial(async () => {
        const steps: RegionStep[] = [];
        const r = await regionTeardownRun(live.sequenceContext('region-teardown', (x) => steps.push(stepOf(x))));
        live.flush();
        return { summary: r.summary, reset: r.reset, locked: r.locked, steps };
      });
    },
  },

  'regions.list': {
    input: z.strictObject({ sessionId, kernel: kernel.optional() }),
    handler: (s, i) => {
      const live = s.live.get(i.sessionId);
      return live.serial(async () => {
        const out = await platformCxlList(live.platform, live.sequenceContext('cxl-list', () => undefined), i.kernel);
        live.flush();
        return { cxlList: out };
      });
    },
  },

  'regions.decode': {
    input: z.strictObject({ sessionId, hpa: hpaInput }),
    handler: (s, i) => {
      const live = s.live.get(i.sessionId);
      const h = toHpa(i.hpa);
      return live.serial(async () => {
        const out = await platformDecode(live.platform, live.sequenceContext('decode', () => undefined), h);
        live.flush();
        return out;
      });
    },
  },
};
